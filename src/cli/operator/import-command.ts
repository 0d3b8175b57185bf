import { HubClient } from './hub-client';
import { ProgressBar, table } from './progress';

export interface ImportCommandOptions {
  file: string;
  url: string;
  key: string;
  layout?: string;
  policy?: 'REJECT_ALL' | 'ACCEPT_VALID';
  maxErrorShare?: number;
  constants?: Record<string, string | number>;
  pollMs?: number;
}

const BATCH = `query($id: ID!) { importBatch(id: $id) {
  id status layout fileName
  progress { stage rows errors }
  counts { rowsRead accepted rejected skipped inserted replaced errors warnings }
} }`;
const ERRORS = `query($id: ID!) { importErrors(batchId: $id, first: 20) { totalCount edges { node { severity sheet row column value messageRu } } } }`;
const FINAL = new Set(['DONE', 'FAILED', 'REJECTED', 'CANCELLED']);
const STAGE_RU: Record<string, string> = { UPLOADED: 'загружен', QUEUED: 'в очереди', PARSING: 'чтение', VALIDATING: 'проверка', MERGING: 'запись', DONE: 'готово', FAILED: 'сбой', REJECTED: 'отклонён', CANCELLED: 'отменён' };

/** Exit code of the import command: 0 merged, 2 rejected (or cancelled), 1 failed or could not run. */
export async function runImport(options: ImportCommandOptions, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const client = new HubClient(options.url.replace(/\/+$/, '').replace(/\/graphql$/, ''), options.key);
  const bar = new ProgressBar();
  const id = await client.upload(options.file, (sent, total) => bar.update('отправка', sent, total));
  bar.done();
  await client.graphql(`mutation($input: StartImportInput!) { startImport(input: $input) { id status } }`, {
    input: {
      batchId: id,
      ...(options.layout ? { layout: options.layout } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.maxErrorShare !== undefined ? { maxErrorShare: options.maxErrorShare } : {}),
      ...(options.constants && Object.keys(options.constants).length ? { constants: options.constants } : {}),
    },
  });
  let batch: any;
  for (;;) {
    batch = (await client.graphql<{ importBatch: any }>(BATCH, { id })).importBatch;
    const stage = batch.progress?.stage ?? batch.status;
    bar.update(STAGE_RU[stage] ?? stage, batch.progress?.rows ?? batch.counts.rowsRead ?? 0, null);
    if (FINAL.has(batch.status)) break;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  bar.done();
  const c = batch.counts;
  out.write(`\nПакет ${batch.id}: ${batch.fileName} — ${STAGE_RU[batch.status] ?? batch.status} (формат ${batch.layout ?? 'не определён'})\n`);
  out.write(
    `${table(['прочитано', 'принято', 'отклонено', 'пропущено', 'записано', 'заменено', 'ошибок', 'предупр.'], [[c.rowsRead, c.accepted, c.rejected, c.skipped, c.inserted, c.replaced, c.errors, c.warnings]])}\n`,
  );
  const errors = (await client.graphql<{ importErrors: any }>(ERRORS, { id })).importErrors;
  if (errors.totalCount > 0) {
    out.write(`\nОшибки и предупреждения (${errors.totalCount}, первые ${errors.edges.length}; все: ${options.url.replace(/\/graphql$/, '')}/imports/${id}/errors.csv):\n`);
    out.write(`${table(['вид', 'лист', 'строка', 'столбец', 'значение', 'сообщение'], errors.edges.map((e: any) => [e.node.severity, e.node.sheet, e.node.row, e.node.column, e.node.value, e.node.messageRu]))}\n`);
  }
  return batch.status === 'DONE' ? 0 : batch.status === 'FAILED' ? 1 : 2;
}
