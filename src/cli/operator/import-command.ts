import { HubClient, isActionableRefusal } from './hub-client';
import { formatReport, STATUS_RU, type ReportedBatch, type ReportedIssue } from './import-report';
import { ProgressBar } from './progress';

export interface ImportCommandOptions {
  file: string;
  url: string;
  key: string;
  layout?: string;
  policy?: 'REJECT_ALL' | 'ACCEPT_VALID';
  maxErrorShare?: number;
  /** `--encoding`, `--separator`, `--sheet`, `--json-records` (recordsPath): over the profile's, when one is named. */
  readOptions?: { encoding?: string; separator?: string; sheet?: string; recordsPath?: string };
  constants?: Record<string, string | number>;
  /** A column mapping (layout `mapped`), read from `--mapping file.json`, with `--constant` values for its fields. */
  mapping?: Record<string, unknown>;
  /** A saved import profile of the region (`--profile`), and mapping fields given as values on top of it. */
  profile?: string;
  fieldValues?: Record<string, string>;
  pollMs?: number;
}

const BATCH = `query($id: ID!) { importBatch(id: $id) {
  id status layout fileName messageRu
  fileError { code messageRu sheet row column value }
  progress { stage rows errors }
  counts { rowsRead accepted rejected skipped inserted replaced errors warnings }
  report { notes }
  unknownSchoolCodes { code schoolName rows candidates { schoolId name codes score } }
} }`;
/** Errors read for the report (grouped there); all of them are in errors.csv. */
const ERRORS_READ = 500;
const ERRORS = `query($id: ID!) { importErrors(batchId: $id, first: ${ERRORS_READ}) { totalCount edges { node { severity sheet row column cell value code messageRu } } } }`;
const FINAL = new Set(['DONE', 'FAILED', 'REJECTED', 'CANCELLED']);
const STAGE_RU = STATUS_RU;

/** Exit code of the import command: 0 merged, 2 rejected, cancelled or refused by the hub, 1 failed or could not run. */
export async function runImport(options: ImportCommandOptions, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const client = new HubClient(options.url, options.key);
  const bar = new ProgressBar();
  const id = await client.upload(options.file, (sent, total) => bar.update('отправка', sent, total));
  bar.done();
  const started = client.graphql(`mutation($input: StartImportInput!) { startImport(input: $input) { id status } }`, {
    input: {
      batchId: id,
      ...(options.layout ? { layout: options.layout } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.maxErrorShare !== undefined ? { maxErrorShare: options.maxErrorShare } : {}),
      ...(options.readOptions ?? {}),
      ...(options.constants && Object.keys(options.constants).length ? { constants: options.constants } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.fieldValues ? { fieldValues: options.fieldValues } : {}),
    },
  });
  try {
    await started;
  } catch (error) {
    // A start the hub refused leaves nothing behind: the upload is cancelled (and its file removed).
    await client.graphql(`mutation($id: ID!) { cancelImport(id: $id) { id } }`, { id }).catch(() => undefined);
    if (isActionableRefusal(error)) {
      process.stderr.write(`Отказ хаба: ${error.message}\nЗагруженный файл (пакет ${id}) отменён и удалён.\n`);
      return 2;
    }
    throw error;
  }
  return followBatch(client, id, options.url, out, options.pollMs, bar);
}

/**
 * Follows a started batch to its end with a progress bar, then prints its report (import, rerun). Exit code 0 DONE,
 * 1 FAILED, 2 otherwise (rejected, cancelled).
 */
export async function followBatch(client: HubClient, id: string, url: string, out: NodeJS.WriteStream, pollMs?: number, bar = new ProgressBar()): Promise<number> {
  let batch: any;
  for (;;) {
    batch = (await client.graphql<{ importBatch: any }>(BATCH, { id })).importBatch;
    const stage = batch.progress?.stage ?? batch.status;
    bar.update(STAGE_RU[stage] ?? stage, batch.progress?.rows ?? batch.counts.rowsRead ?? 0, null);
    if (FINAL.has(batch.status)) break;
    await new Promise((r) => setTimeout(r, pollMs ?? 500));
  }
  bar.done();
  const errors = (await client.graphql<{ importErrors: { totalCount: number; edges: { node: ReportedIssue }[] } }>(ERRORS, { id })).importErrors;
  const base = url.replace(/\/+$/, '').replace(/\/graphql$/, '');
  out.write(`\n${formatReport(batch as ReportedBatch, errors.edges.map((edge) => edge.node), errors.totalCount, `${base}/imports/${id}/errors.csv`)}`);
  return batch.status === 'DONE' ? 0 : batch.status === 'FAILED' ? 1 : 2;
}
