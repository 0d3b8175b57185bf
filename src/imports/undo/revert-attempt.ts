/**
 * A revert batch, run by the import worker like an import: in one transaction it checks again that the batch can
 * be reverted (nothing later took over its scope meanwhile), restores what it replaced, removes what it added,
 * asks for the same recomputes, and marks both batches — or, refused, changes nothing. A worker killed midway
 * leaves PostgreSQL to roll the transaction back, and the job is retried.
 */
import { performance } from 'node:perf_hooks';
import type { Knex } from '@mikro-orm/postgresql';
import type { JobGateway, JobTicket } from '../../jobs/job-gateway';
import type { Logger } from '../../shared/logger';
import { testPause } from '../../shared/test-hooks';
import { ImportBatchStore, type ImportBatchRow } from '../batch/import-batch.store';
import { ImportStatus } from '../batch/import-status';
import { IMPORT_KIND_LOCK, type ImportProgress, type ImportAttemptOutcome } from '../loading/import-attempt';
import type { ImportSettings } from '../loading/import-settings';
import type { RecomputeRequest } from '../../jobs/recompute-chain';
import { partitionName } from '../loading/targets/participant-partition';
import { revertRefusal } from './later-batches';
import { Restorer, RevertRefusal } from './restore';
import { undoUntilRu } from './undo-text';

/** One attempt at a revert batch, given by ImportBatchRunner like an ImportAttempt. */
export class RevertAttempt {
  private readonly store: ImportBatchStore;

  constructor(
    private readonly knex: Knex,
    private readonly gateway: JobGateway,
    private readonly log: Logger,
    private readonly settings: ImportSettings,
    private readonly batch: ImportBatchRow,
    private readonly onProgress: (progress: ImportProgress) => Promise<void> | void,
  ) {
    this.store = new ImportBatchStore(knex);
  }

  async execute(): Promise<ImportAttemptOutcome> {
    const { batch } = this;
    const originalId = batch.reverts_batch_id!;
    const started = performance.now();
    await this.store.setStage(batch.id, ImportStatus.MERGING, { rows: 0, errors: 0 });
    await this.onProgress({ stage: ImportStatus.MERGING, rows: 0, errors: 0 });
    let restorer: Restorer | null = null;
    const undoDays = this.settings.undoDays ?? 90;
    try {
      const committed = await this.knex.transaction(async (trx) => {
        await trx.raw('set local statement_timeout = 0');
        const { rows } = await trx.raw(`select * from import_batch where id = ? for update`, [originalId]);
        const original = rows[0] as ImportBatchRow | undefined;
        if (!original) throw new RevertRefusal(`Загрузка № ${originalId} не найдена.`);
        if (original.record_kind && original.record_kind !== 'participant-result') {
          await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [IMPORT_KIND_LOCK, original.record_kind]);
        }
        const refusal = await revertRefusal(trx, original, batch.id);
        if (refusal) throw new RevertRefusal(refusal);
        restorer = new Restorer(trx, this.settings, this.log, batch.id, original.id);
        const counts = await restorer.run();
        const requests = (original.recompute_requests ?? []) as RecomputeRequest[];
        const tickets: JobTicket[] = [];
        for (const request of requests) {
          const payload = { ...(request.payload as Record<string, unknown>), reason: `revert of import ${original.id}`, requestedBy: batch.actor };
          tickets.push(await this.gateway.record({ ...request, payload, requestedBy: batch.actor } as Parameters<JobGateway['record']>[0], trx));
        }
        await trx.raw(`update import_batch set reverted_by_batch_id = ? where id = ?`, [batch.id, original.id]);
        await this.store.finish(
          batch.id,
          {
            status: ImportStatus.DONE,
            messageRu:
              `Загрузка № ${original.id} отменена: восстановлено записей: ${counts.restored}, удалено добавленных ею: ${counts.removed}. ` +
              `Эту отмену можно отменить (revertImport) до ${undoUntilRu(undoDays)}.`,
            layout: original.layout,
            recordKind: original.record_kind,
            rowsInserted: counts.restored,
            rowsReplaced: counts.removed,
            affectedSchoolIds: original.affected_school_ids,
            affectedAssessmentIds: original.affected_assessment_ids,
            affectedYears: original.affected_years,
            recomputeTickets: tickets.map((ticket) => ticket.id),
            mergeMs: Math.round(performance.now() - started),
            undoDays,
            recomputeRequests: requests,
          },
          trx,
        );
        await testPause('imports.revertBeforeCommit');
        return { counts, tickets };
      });
      await this.gateway.dispatch(committed.tickets);
      for (const year of (restorer as Restorer | null)?.rebuiltYears ?? []) await this.knex.raw(`analyze ${partitionName(year)}`);
      this.log.info({ batchId: batch.id, reverted: originalId, ...committed.counts, ms: Math.round(performance.now() - started) }, 'import reverted');
      return {
        batchId: batch.id,
        status: ImportStatus.DONE,
        rowsRead: 0,
        rowsInserted: committed.counts.restored,
        rowsReplaced: committed.counts.removed,
        errors: 0,
        recomputeTickets: committed.tickets.map((ticket) => ticket.id),
      };
    } catch (error) {
      if (!(error instanceof RevertRefusal)) throw error;
      await this.store.finish(batch.id, { status: ImportStatus.REJECTED, messageRu: error.message });
      this.log.info({ batchId: batch.id, reverted: originalId }, 'revert refused');
      return { batchId: batch.id, status: ImportStatus.REJECTED, rowsRead: 0, rowsInserted: 0, rowsReplaced: 0, errors: 0, recomputeTickets: [] };
    }
  }
}
