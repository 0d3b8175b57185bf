/**
 * Files kept for a re-run (rerunImport). An upload goes as soon as its batch is final (it may hold personal data),
 * except the file of a batch whose rows were refused against the hub's data — REJECTED without a file error, or DONE
 * under ACCEPT_VALID with rows left out: once the cause is fixed in the hub (a school code confirmed as an alias, a
 * scale loaded, a municipality created) the same file with the same options can go in again. Such a file is kept
 * until UPLOAD_RETENTION_HOURS after the batch finished; the upload sweeper then removes it.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { removeUpload } from '../upload/upload-store';
import type { BatchOutcome } from './import-batch.store';
import { ImportStatus } from './import-status';

/** Whether a batch that ends with `outcome` keeps its file for a re-run. */
export function keepsFileForRerun(outcome: Pick<BatchOutcome, 'status' | 'fileError' | 'rowsRejected' | 'duplicateOf'>): boolean {
  if (outcome.status === ImportStatus.REJECTED) return !outcome.fileError;
  return outcome.status === ImportStatus.DONE && (outcome.rowsRejected ?? 0) > 0 && !outcome.duplicateOf;
}

/** Removes the kept files of batches finished longer than `retentionMs` ago; returns how many. */
export async function removeExpiredKeptFiles(knex: Knex, retentionMs: number): Promise<number> {
  const { rows } = await knex.raw(
    `with expired as (
       select id, stored_path from import_batch
       where stored_path is not null and status in ('DONE', 'REJECTED') and finished_at < now() - make_interval(secs => ?)
       for update skip locked)
     update import_batch b set stored_path = null from expired where b.id = expired.id
     returning b.id, expired.stored_path`,
    [retentionMs / 1000],
  );
  for (const row of rows as { stored_path: string }[]) await removeUpload(row.stored_path);
  return rows.length;
}
