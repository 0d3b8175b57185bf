/**
 * The import_batch table: creation at upload, the status transitions (each a conditional UPDATE, so two
 * processes can never both move a batch), progress, and the outcome. Plain SQL: batches are rows with a
 * lifecycle, not an object graph.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import { ownRegionFragment, ownRegionId } from '../../auth/scope';
import { arrayLiteral, intArrayLiteral } from '../../shared/sql';
import { ImportPolicy, ImportStatus, RUNNABLE_STATUSES } from './import-status';

export interface ImportBatchRow {
  id: number;
  actor: string;
  role: Role;
  region_id: number | null;
  file_name: string;
  content_type: string | null;
  file_size: string;
  file_sha256: string;
  stored_path: string | null;
  layout_requested: string | null;
  layout: string | null;
  record_kind: string | null;
  mapping: unknown;
  constants: Record<string, unknown>;
  read_options: ReadOptions;
  policy: ImportPolicy;
  max_error_share: number | null;
  options_digest: string | null;
  status: ImportStatus;
  progress: Record<string, unknown> | null;
  message_ru: string | null;
  file_error: FileErrorRecord | null;
  report: Record<string, unknown> | null;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_skipped: number;
  rows_inserted: number;
  rows_replaced: number;
  errors_total: number;
  warnings_total: number;
  affected_school_ids: number[];
  affected_assessment_ids: number[];
  affected_years: number[];
  job_ticket: string | null;
  recompute_tickets: string[];
  duplicate_of: number | null;
  attempts: number;
  created_at: Date;
  queued_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  parse_ms: number | null;
  validate_ms: number | null;
  merge_ms: number | null;
  /** A preview: the merge ran and was rolled back (the batch then waits, UPLOADED, to be started for real). */
  dry_run: boolean;
  /** The batch this one reverts (a revert is a batch of its own). */
  reverts_batch_id: number | null;
  reverted_by_batch_id: number | null;
  /** The batch this one re-runs (rerunImport: its file and options). */
  rerun_of: number | null;
  /** Until when what the merge replaced is kept (revertImport); null when nothing was merged or it expired. */
  undo_until: Date | null;
  /** The recomputes the merge asked for: a revert asks for them again. */
  recompute_requests: unknown[];
  /** What a dry run would replace and add, per school and assessment (or school × year…). */
  preview: Record<string, unknown>[] | null;
}

/** How to read the file when detection needs help. */
export interface ReadOptions {
  encoding?: string;
  separator?: ';' | ',' | '\t';
  sheet?: string;
  /** JSON: where the records are, keys joined by «.» (`result.records`); none — found (src/imports/parsing/json-reader.ts). */
  recordsPath?: string;
}

export interface FileErrorRecord {
  code: string;
  messageRu: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  value: string | null;
}

export interface NewUpload {
  fileName: string;
  contentType: string | null;
  size: number;
  sha256: string;
  storedPath: string;
}

export interface StartOptions {
  layoutRequested: string | null;
  mapping: unknown;
  constants: Record<string, unknown>;
  readOptions: ReadOptions;
  policy: ImportPolicy;
  maxErrorShare: number | null;
  optionsDigest: string;
  dryRun: boolean;
}

/** Counts and scope written with a final status. */
export interface BatchOutcome {
  status: ImportStatus;
  messageRu: string | null;
  layout?: string | null;
  recordKind?: string | null;
  fileError?: FileErrorRecord | null;
  report?: Record<string, unknown> | null;
  rowsRead?: number;
  rowsAccepted?: number;
  rowsRejected?: number;
  rowsSkipped?: number;
  rowsInserted?: number;
  rowsReplaced?: number;
  errorsTotal?: number;
  warningsTotal?: number;
  affectedSchoolIds?: number[];
  affectedAssessmentIds?: number[];
  affectedYears?: number[];
  recomputeTickets?: string[];
  duplicateOf?: number | null;
  parseMs?: number | null;
  validateMs?: number | null;
  mergeMs?: number | null;
  /** Keep what the merge replaced this many days (sets undo_until). */
  undoDays?: number;
  recomputeRequests?: unknown[];
  preview?: Record<string, unknown>[] | null;
}

const intArray = (values: readonly number[] | undefined): string | undefined => (values === undefined ? undefined : intArrayLiteral(values));

/** Which batches a principal sees: administrators all, a regional centre those of its region. */
const batchScope = (principal: Principal) => ownRegionFragment(principal, 'b');

export class ImportBatchStore {
  constructor(private readonly knex: Knex) {}

  async create(upload: NewUpload, principal: Principal): Promise<ImportBatchRow> {
    const { rows } = await this.knex.raw(
      `insert into import_batch (actor, role, region_id, file_name, content_type, file_size, file_sha256, stored_path)
       values (?, ?, ?, ?, ?, ?, ?, ?) returning *`,
      [principal.actor, principal.role, ownRegionId(principal), upload.fileName, upload.contentType, upload.size, upload.sha256, upload.storedPath],
    );
    return rows[0];
  }

  async get(id: number): Promise<ImportBatchRow | null> {
    const { rows } = await this.knex.raw(`select * from import_batch where id = ?`, [id]);
    return rows[0] ?? null;
  }

  /** The batch when the principal may see it; null when it does not exist or lies outside the scope. */
  async findVisible(id: number, principal: Principal): Promise<ImportBatchRow | null> {
    const scope = batchScope(principal);
    const { rows } = await this.knex.raw(`select * from import_batch b where b.id = ? and ${scope.sql}`, [id, ...scope.bindings]);
    return rows[0] ?? null;
  }

  async list(principal: Principal, options: { first: number; afterId: number | null; statuses: ImportStatus[] | null }): Promise<ImportBatchRow[]> {
    const { where, bindings } = this.listWhere(principal, options.statuses);
    const after = options.afterId === null ? '' : ' and b.id < ?';
    const { rows } = await this.knex.raw(`select * from import_batch b where ${where}${after} order by b.id desc limit ?`, [
      ...bindings,
      ...(options.afterId === null ? [] : [options.afterId]),
      options.first + 1,
    ]);
    return rows;
  }

  async count(principal: Principal, statuses: ImportStatus[] | null): Promise<number> {
    const { where, bindings } = this.listWhere(principal, statuses);
    const { rows } = await this.knex.raw(`select count(*)::int as n from import_batch b where ${where}`, bindings);
    return rows[0].n;
  }

  /** UPLOADED → QUEUED with the options the import runs with; null when the batch is not waiting any more. */
  async queue(id: number, options: StartOptions, trx: Knex = this.knex): Promise<ImportBatchRow | null> {
    const { rows } = await trx.raw(
      `update import_batch set status = 'QUEUED', queued_at = now(), layout_requested = ?, mapping = ?::jsonb, constants = ?::jsonb,
         read_options = ?::jsonb, policy = ?, max_error_share = ?, options_digest = ?, dry_run = ?
       where id = ? and status = 'UPLOADED' returning *`,
      [
        options.layoutRequested,
        options.mapping === null || options.mapping === undefined ? null : JSON.stringify(options.mapping),
        JSON.stringify(options.constants),
        JSON.stringify(options.readOptions),
        options.policy,
        options.maxErrorShare,
        options.optionsDigest,
        options.dryRun,
        id,
      ],
    );
    return rows[0] ?? null;
  }

  async setJobTicket(id: number, ticket: string, trx: Knex = this.knex): Promise<void> {
    await trx.raw(`update import_batch set job_ticket = ? where id = ?`, [ticket, id]);
  }

  /** UPLOADED or QUEUED → CANCELLED; null when the batch is already being processed or finished. */
  async cancel(id: number): Promise<ImportBatchRow | null> {
    const { rows } = await this.knex.raw(
      `update import_batch set status = 'CANCELLED', finished_at = now(), message_ru = 'Загрузка отменена до начала обработки.'
       where id = ? and status in ('UPLOADED', 'QUEUED') returning *`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * A worker takes the batch: from QUEUED, or from where a previous attempt died (a retried job). The previous
   * attempt's counts are cleared; its row errors are removed by the caller. Null when there is nothing to run.
   */
  async claim(id: number): Promise<ImportBatchRow | null> {
    const { rows } = await this.knex.raw(
      `update import_batch set status = 'PARSING', started_at = clock_timestamp(), finished_at = null, attempts = attempts + 1,
         progress = '{"stage":"PARSING","rows":0}'::jsonb, message_ru = null, file_error = null, report = null,
         rows_read = 0, rows_accepted = 0, rows_rejected = 0, rows_skipped = 0, rows_inserted = 0, rows_replaced = 0,
         errors_total = 0, warnings_total = 0, parse_ms = null, validate_ms = null, merge_ms = null
       where id = ? and status = any(?::import_status[]) returning *`,
      [id, arrayLiteral(RUNNABLE_STATUSES)],
    );
    return rows[0] ?? null;
  }

  /** The detected layout, known once the file's header is read. */
  async setLayout(id: number, layout: string, recordKind: string): Promise<void> {
    await this.knex.raw(`update import_batch set layout = ?, record_kind = ? where id = ?`, [layout, recordKind, id]);
  }

  async setStage(id: number, status: ImportStatus.PARSING | ImportStatus.VALIDATING | ImportStatus.MERGING, progress: Record<string, unknown>): Promise<void> {
    await this.knex.raw(`update import_batch set status = ?, progress = ?::jsonb where id = ? and status = any(?::import_status[])`, [
      status,
      JSON.stringify({ stage: status, ...progress }),
      id,
      arrayLiteral(RUNNABLE_STATUSES),
    ]);
  }

  async setProgress(id: number, progress: Record<string, unknown>): Promise<void> {
    await this.knex.raw(`update import_batch set progress = ?::jsonb where id = ?`, [JSON.stringify(progress), id]);
  }

  /** Writes the final status and what the import did (in `trx` when it must commit together with the data). */
  async finish(id: number, outcome: BatchOutcome, trx: Knex = this.knex): Promise<void> {
    // clock_timestamp(): inside the import's transaction now() would be the moment the transaction began.
    const sets: string[] = ['status = ?', 'finished_at = clock_timestamp()', 'message_ru = ?', `progress = coalesce(progress, '{}'::jsonb) || jsonb_build_object('stage', ?::text)`];
    const bindings: Knex.RawBinding[] = [outcome.status, outcome.messageRu, outcome.status];
    const optional: [string, Knex.RawBinding | undefined, string?][] = [
      ['layout', outcome.layout],
      ['record_kind', outcome.recordKind],
      ['file_error', outcome.fileError === undefined ? undefined : outcome.fileError === null ? null : JSON.stringify(outcome.fileError), '::jsonb'],
      ['report', outcome.report === undefined ? undefined : outcome.report === null ? null : JSON.stringify(outcome.report), '::jsonb'],
      ['rows_read', outcome.rowsRead],
      ['rows_accepted', outcome.rowsAccepted],
      ['rows_rejected', outcome.rowsRejected],
      ['rows_skipped', outcome.rowsSkipped],
      ['rows_inserted', outcome.rowsInserted],
      ['rows_replaced', outcome.rowsReplaced],
      ['errors_total', outcome.errorsTotal],
      ['warnings_total', outcome.warningsTotal],
      ['affected_school_ids', intArray(outcome.affectedSchoolIds), '::int[]'],
      ['affected_assessment_ids', intArray(outcome.affectedAssessmentIds), '::int[]'],
      ['affected_years', intArray(outcome.affectedYears), '::int[]'],
      ['recompute_tickets', outcome.recomputeTickets === undefined ? undefined : arrayLiteral(outcome.recomputeTickets), '::text[]'],
      ['duplicate_of', outcome.duplicateOf],
      ['parse_ms', outcome.parseMs],
      ['validate_ms', outcome.validateMs],
      ['merge_ms', outcome.mergeMs],
    ];
    if (outcome.undoDays !== undefined) {
      sets.push(`undo_until = clock_timestamp() + make_interval(days => ?)`);
      bindings.push(outcome.undoDays);
    }
    optional.push(['preview', outcome.preview === undefined ? undefined : outcome.preview === null ? null : JSON.stringify(outcome.preview), '::jsonb']);
    optional.push(['recompute_requests', outcome.recomputeRequests === undefined ? undefined : JSON.stringify(outcome.recomputeRequests), '::jsonb']);
    for (const [column, value, cast] of optional) {
      if (value === undefined) continue;
      sets.push(`${column} = ?${cast ?? ''}`);
      bindings.push(value);
    }
    await trx.raw(`update import_batch set ${sets.join(', ')} where id = ?`, [...bindings, id]);
  }

  /** Once the batch is final the uploaded file is deleted (it may hold personal data; kept-files.ts says which are kept a while); the row forgets its path. */
  async forgetFile(id: number): Promise<void> {
    await this.knex.raw(`update import_batch set stored_path = null where id = ?`, [id]);
  }

  private listWhere(principal: Principal, statuses: ImportStatus[] | null): { where: string; bindings: Knex.RawBinding[] } {
    const scope = batchScope(principal);
    if (!statuses || statuses.length === 0) return { where: scope.sql, bindings: scope.bindings };
    return { where: `${scope.sql} and b.status = any(?::import_status[])`, bindings: [...scope.bindings, arrayLiteral(statuses)] };
  }
}
