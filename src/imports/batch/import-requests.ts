/**
 * Starting and cancelling imports on behalf of an API key. Starting writes the options, the QUEUED status and
 * the job request in one transaction (the outbox), then hands the job to Redis; a file already imported with the
 * same options is recognised here and finished at once, without a job.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { JobGateway, JobTicket } from '../../jobs/job-gateway';
import { JOB_NAMES, QUEUE_NAMES } from '../../jobs/queues';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { hubError } from '../../graphql/errors';
import { removeUpload } from '../upload/upload-store';
import { ImportBatchStore, type ImportBatchRow, type StartOptions } from './import-batch.store';
import { ImportStatus } from './import-status';
import { concludeAsRepeat, findSameImport, optionsDigest } from './same-file';

const STATUS_RU: Record<ImportStatus, string> = {
  UPLOADED: 'загружен и ждёт запуска',
  QUEUED: 'уже в очереди',
  PARSING: 'уже обрабатывается (чтение файла)',
  VALIDATING: 'уже обрабатывается (проверка строк)',
  MERGING: 'уже обрабатывается (запись данных)',
  DONE: 'уже загружен',
  FAILED: 'завершился ошибкой',
  REJECTED: 'отклонён',
  CANCELLED: 'отменён',
};

export type StartRequest = Omit<StartOptions, 'optionsDigest'>;

/**
 * The job that runs a QUEUED batch, recorded in the caller's transaction (the outbox) with the batch pointing at it;
 * the caller dispatches the ticket once the transaction has committed. Starting, re-running and reverting share it.
 */
export async function recordImportJob(jobs: JobGateway, trx: Knex, batchId: number, actor: string): Promise<JobTicket> {
  const ticket = await jobs.record({ queue: QUEUE_NAMES.imports, name: JOB_NAMES.importFile, payload: { batchId }, requestedBy: actor }, trx);
  await new ImportBatchStore(trx).setJobTicket(batchId, ticket.id, trx);
  return ticket;
}

/** API side: a caller's requests about its batches — see one, start it (queued for the job side), cancel it before it starts. */
export class ImportRequests {
  private readonly store: ImportBatchStore;

  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly jobs: JobGateway,
    private readonly remoteAddress: string | null = null,
  ) {
    this.store = new ImportBatchStore(em.getKnex());
  }

  async visible(id: number): Promise<ImportBatchRow> {
    const batch = await this.store.findVisible(id, this.principal);
    if (!batch) throw hubError('NOT_FOUND', `Пакет загрузки ${id} не найден`);
    return batch;
  }

  async start(id: number, request: StartRequest): Promise<ImportBatchRow> {
    const batch = await this.visible(id);
    if (batch.status !== ImportStatus.UPLOADED) {
      throw hubError('CONFLICT', `Пакет загрузки ${id} ${STATUS_RU[batch.status]}: запустить можно только загруженный и ещё не запущенный файл. Загрузите файл заново (POST /imports).`);
    }
    const digest = optionsDigest({
      layout: request.layoutRequested,
      mapping: request.mapping,
      constants: request.constants,
      read: request.readOptions,
      policy: request.policy,
      maxErrorShare: request.maxErrorShare,
    });
    const options: StartOptions = { ...request, optionsDigest: digest };
    const knex = this.em.getKnex();
    // A dry run previews the import whatever was loaded before: it is never finished as a repeat.
    const same = request.dryRun ? null : await findSameImport(knex, { batchId: id, sha256: batch.file_sha256, optionsDigest: digest, regionId: batch.region_id });
    let ticket: JobTicket | null = null;
    let queued: ImportBatchRow | null = null;
    await knex.transaction(async (trx) => {
      queued = await this.store.queue(id, options, trx);
      if (!queued) throw hubError('CONFLICT', `Пакет загрузки ${id} уже запущен или отменён`);
      if (same !== null) return;
      ticket = await recordImportJob(this.jobs, trx, id, this.principal.actor);
    });
    await this.audit('import.start', id, { layout: request.layoutRequested, policy: request.policy, duplicateOf: same, dryRun: request.dryRun });
    if (same !== null) {
      await concludeAsRepeat(knex, id, same, batch.stored_path);
      return (await this.store.get(id))!;
    }
    await this.jobs.dispatch([ticket!]);
    // What the mutation did (the worker may already be further on: importBatch tells).
    return { ...queued!, job_ticket: (ticket as JobTicket | null)!.id };
  }

  async cancel(id: number): Promise<ImportBatchRow> {
    const batch = await this.visible(id);
    const cancelled = await this.store.cancel(id);
    if (!cancelled) {
      throw hubError('CONFLICT', `Пакет загрузки ${id} ${STATUS_RU[batch.status]}: отменить можно только загрузку, которая ещё не началась`);
    }
    await removeUpload(batch.stored_path);
    await this.store.forgetFile(id);
    await this.audit('import.cancel', id, {});
    return cancelled;
  }

  private audit(action: string, id: number, details: Record<string, unknown>): Promise<void> {
    return new AuditService(this.em, this.principal, this.remoteAddress).record({ action, target: `import:${id}`, details });
  }
}
