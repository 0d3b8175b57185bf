/**
 * Runs import batches for the imports job: takes the batch (from QUEUED, or where a killed attempt left it),
 * recognises a file that was already imported with the same options, otherwise runs the import; records the
 * final failure when retries are exhausted. It works on plain SQL (knex), so the import process needs no ORM.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { JobGateway } from '../../jobs/job-gateway';
import type { Logger } from '../../shared/logger';
import { arrayLiteral } from '../../shared/sql';
import { ImportBatchStore } from '../batch/import-batch.store';
import { FINAL_STATUSES, ImportStatus } from '../batch/import-status';
import { RowErrorStore } from '../batch/row-errors';
import { concludeAsRepeat, findSameImport } from '../batch/same-file';
import { RevertAttempt } from '../undo/revert-attempt';
import { removeUpload } from '../upload/upload-store';
import type { ImportSettings } from './import-settings';
import { ImportAttempt, type ImportProgress, type ImportAttemptOutcome } from './import-attempt';

export type { ImportProgress, ImportAttemptOutcome };

/** Retries are exhausted (or the job was given up): the batch ends FAILED, its data untouched. Idempotent. */
export async function failImportBatch(knex: Knex, batchId: number, reason: string): Promise<void> {
  const store = new ImportBatchStore(knex);
  const batch = await store.get(batchId);
  if (!batch || FINAL_STATUSES.includes(batch.status)) return;
  await store.finish(batchId, { status: ImportStatus.FAILED, messageRu: `Загрузка не выполнена из-за технической ошибки; данные не изменены. Причина: ${reason}` });
  await removeUpload(batch.stored_path);
  await store.forgetFile(batchId);
}

/** An attempt failed and another will follow: the batch waits in the queue again. */
export async function requeueImportBatch(knex: Knex, batchId: number, attempt: number, reason: string): Promise<void> {
  await knex.raw(`update import_batch set status = 'QUEUED', message_ru = ? where id = ? and status = any(?::import_status[])`, [
    `Попытка ${attempt} не удалась (${reason}); загрузка будет повторена.`,
    batchId,
    arrayLiteral([ImportStatus.PARSING, ImportStatus.VALIDATING, ImportStatus.MERGING]),
  ]);
}

/** Job side, in the import process: claims a queued batch and ends it as a repeat, or runs it as an ImportAttempt or a RevertAttempt. */
export class ImportBatchRunner {
  private readonly store: ImportBatchStore;

  constructor(
    private readonly knex: Knex,
    private readonly gateway: JobGateway,
    private readonly log: Logger,
    private readonly settings: ImportSettings,
  ) {
    this.store = new ImportBatchStore(knex);
  }

  async run(batchId: number, onProgress: (progress: ImportProgress) => Promise<void> | void = () => undefined): Promise<ImportAttemptOutcome | { batchId: number; status: ImportStatus | null; skipped: true }> {
    const knex = this.knex;
    const batch = await this.store.claim(batchId);
    if (!batch) {
      // Cancelled before it started, or already finished by an attempt that died after its commit.
      const current = await this.store.get(batchId);
      this.log.info({ batchId, status: current?.status ?? null }, 'import job found nothing to run');
      return { batchId, status: current?.status ?? null, skipped: true };
    }
    // A revert is a batch of its own, run here like an import (src/imports/undo).
    if (batch.reverts_batch_id !== null) return new RevertAttempt(knex, this.gateway, this.log, this.settings, batch, onProgress).execute();
    // A retried attempt starts clean: the previous attempt's errors would be counted twice.
    await new RowErrorStore(knex).deleteForBatch(batchId);
    // A dry run changes nothing, so it is never a repeat of anything.
    const same = batch.options_digest && !batch.dry_run
      ? await findSameImport(knex, { batchId, sha256: batch.file_sha256, optionsDigest: batch.options_digest, regionId: batch.region_id })
      : null;
    if (same !== null) return this.finishAsRepeat(batchId, same, batch.stored_path);
    return new ImportAttempt(knex, this.gateway, this.log, this.settings, batch, onProgress).execute();
  }

  /** The same file with the same options was imported by batch `original` and nothing has replaced it since. */
  async finishAsRepeat(batchId: number, original: number, storedPath: string | null): Promise<ImportAttemptOutcome> {
    await concludeAsRepeat(this.knex, batchId, original, storedPath);
    this.log.info({ batchId, duplicateOf: original }, 'import recognised as a repeat of an earlier one');
    return { batchId, status: ImportStatus.DONE, rowsRead: 0, rowsInserted: 0, rowsReplaced: 0, errors: 0, recomputeTickets: [] };
  }


}
