/** import_batch rows as the API shows them. */
import type { Knex } from '@mikro-orm/postgresql';
import { JOB_NAMES, QUEUE_NAMES } from '../../jobs/queues';
import type { JobTicketType } from '../../graphql/job.types';
import type { ImportBatchRow } from '../batch/import-batch.store';
import type { RowErrorRow } from '../batch/row-errors';
import { revertRefusal } from '../undo/later-batches';
import type { ImportBatch, ImportReport, ImportRowError } from './import.types';

const JOB_NAME_OF_QUEUE: Record<string, string> = {
  [QUEUE_NAMES.aggregates]: JOB_NAMES.recomputeAggregates,
  [QUEUE_NAMES.risk]: JOB_NAMES.recomputeRisk,
  [QUEUE_NAMES.recommendations]: JOB_NAMES.recomputeRecommendations,
  [QUEUE_NAMES.imports]: JOB_NAMES.importFile,
};

function ticket(id: string): JobTicketType {
  const queue = id.split(':')[0];
  return { id, queue, name: JOB_NAME_OF_QUEUE[queue] ?? queue };
}

const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
const int = (value: unknown): number | null => (value === undefined || value === null || value === '' ? null : Number(value));

function reportOf(raw: Record<string, unknown> | null): ImportReport | null {
  if (!raw) return null;
  const dropped = (raw.personalColumnsDropped ?? { count: 0, headers: [] }) as { count: number; headers: string[] };
  return {
    format: String(raw.format ?? ''),
    encoding: text(raw.encoding),
    separator: text(raw.separator),
    sheet: text(raw.sheet),
    headerRow: Number(raw.headerRow ?? 0),
    layoutConfidence: Number(raw.layoutConfidence ?? 0),
    title: text(raw.title),
    procedure: text(raw.procedure),
    year: int(raw.year),
    subjectName: text(raw.subjectName),
    grade: int(raw.grade),
    personalColumnsDropped: dropped.count,
    personalColumnHeaders: dropped.headers,
    ignoredColumns: (raw.ignoredColumns as string[] | undefined) ?? [],
    notes: (raw.notes as string[] | undefined) ?? [],
    absentRows: Number(raw.absentRows ?? 0),
  };
}

export function importBatchView(row: ImportBatchRow): ImportBatch {
  const constants = row.constants ?? {};
  const progress = row.progress as { stage?: string; rows?: number; errors?: number } | null;
  return {
    id: row.id,
    status: row.status,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    fileSha256: row.file_sha256,
    layout: row.layout,
    layoutRequested: row.layout_requested,
    recordKind: row.record_kind,
    mapping: row.mapping ?? null,
    constants: {
      procedure: text(constants.procedure),
      year: int(constants.year),
      subjectName: text(constants.subjectName),
      grade: int(constants.grade),
      session: text(constants.session),
    },
    policy: row.policy,
    maxErrorShare: row.max_error_share,
    actor: row.actor,
    createdAt: new Date(row.created_at),
    queuedAt: row.queued_at ? new Date(row.queued_at) : null,
    startedAt: row.started_at ? new Date(row.started_at) : null,
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    progress: progress?.stage ? { stage: progress.stage as ImportBatch['status'], rows: progress.rows ?? 0, errors: progress.errors ?? 0 } : null,
    counts: {
      rowsRead: row.rows_read,
      accepted: row.rows_accepted,
      rejected: row.rows_rejected,
      skipped: row.rows_skipped,
      inserted: row.rows_inserted,
      replaced: row.rows_replaced,
      errors: row.errors_total,
      warnings: row.warnings_total,
    },
    timings: {
      parseMs: row.parse_ms,
      validateMs: row.validate_ms,
      mergeMs: row.merge_ms,
      totalMs: row.started_at && row.finished_at ? new Date(row.finished_at).getTime() - new Date(row.started_at).getTime() : null,
    },
    messageRu: row.message_ru,
    fileError: row.file_error,
    report: reportOf(row.report),
    duplicateOf: row.duplicate_of,
    attempts: row.attempts,
    affectedYears: row.affected_years,
    affectedSchools: row.affected_school_ids.length,
    job: row.job_ticket ? ticket(row.job_ticket) : null,
    recomputeJobs: row.recompute_tickets.map(ticket),
    errorsCsvPath: `/imports/${row.id}/errors.csv`,
    undoUntil: row.undo_until ? new Date(row.undo_until) : null,
    revertCheck: {
      id: row.id,
      status: row.status,
      duplicate_of: row.duplicate_of,
      undo_until: row.undo_until,
      reverted_by_batch_id: row.reverted_by_batch_id,
      dry_run: row.dry_run,
      preview: row.preview,
    },
    revertsBatchId: row.reverts_batch_id,
    revertedByBatchId: row.reverted_by_batch_id,
    rerunOfBatchId: row.rerun_of ?? null,
    fileKept: row.stored_path !== null && (row.status === 'DONE' || row.status === 'REJECTED'),
    preview: (row.preview as ImportBatch['preview']) ?? null,
  };
}

export function rowErrorView(row: RowErrorRow): ImportRowError {
  return {
    id: Number(row.id),
    severity: row.severity,
    file: row.file,
    sheet: row.sheet,
    row: row.row_number,
    column: row.column_header,
    cell: row.cell,
    value: row.value,
    code: row.code,
    messageRu: row.message_ru,
  };
}

const refusals = new WeakMap<ImportBatch, Promise<string | null>>();

/**
 * Why the batch cannot be reverted now — revertRefusal, the check revertImport makes — or null; asked once per
 * batch object, however many of its fields (revertible, revertBlockedReason) want it.
 */
export function revertBlockedReason(knex: Knex, batch: ImportBatch): Promise<string | null> {
  let refusal = refusals.get(batch);
  if (!refusal) {
    refusal = revertRefusal(knex, batch.revertCheck);
    refusals.set(batch, refusal);
  }
  return refusal;
}
