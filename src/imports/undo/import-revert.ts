/**
 * revertImport on behalf of an API key: the batch must be visible to the key (administrators: any; a regional
 * centre: its region's), revertible now (later-batches.ts says why not, in Russian); then a revert batch is
 * written QUEUED together with its job request (outbox) and handed to the imports queue, and the request audited.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobGateway, JobTicket } from '../../jobs/job-gateway';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { hubError } from '../../graphql/errors';
import { ImportRequests, recordImportJob } from '../batch/import-requests';
import type { ImportBatchRow } from '../batch/import-batch.store';
import { revertRefusal } from './later-batches';

/** API side of undo: a caller's request to revert a batch, queued as a revert batch that a RevertAttempt runs. */
export class ImportRevert {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly jobs: JobGateway,
    private readonly remoteAddress: string | null = null,
  ) {}

  async request(id: number): Promise<ImportBatchRow> {
    const original = await new ImportRequests(this.em, this.principal, this.jobs, this.remoteAddress).visible(id);
    const knex = this.em.getKnex();
    const refusal = await revertRefusal(knex, original);
    if (refusal) throw hubError('CONFLICT', refusal);
    let ticket: JobTicket | null = null;
    let created: ImportBatchRow | null = null;
    await knex.transaction(async (trx) => {
      // Two requests at once: the second sees the first one's pending revert.
      await trx.raw(`select id from import_batch where id = ? for update`, [id]);
      const pending = await trx.raw(`select id from import_batch where reverts_batch_id = ? and status in ('QUEUED', 'PARSING', 'VALIDATING', 'MERGING') limit 1`, [id]);
      if (pending.rows.length > 0) throw hubError('CONFLICT', `Загрузка № ${id} уже отменяется (пакет № ${pending.rows[0].id}).`);
      const { rows } = await trx.raw(
        `insert into import_batch (actor, role, region_id, file_name, file_size, file_sha256, status, queued_at, layout, record_kind, reverts_batch_id)
         values (?, ?, ?, ?, 0, ?, 'QUEUED', now(), ?, ?, ?) returning *`,
        [this.principal.actor, this.principal.role, original.region_id, `Отмена загрузки № ${id} (${original.file_name})`, original.file_sha256, original.layout, original.record_kind, id],
      );
      created = rows[0] as ImportBatchRow;
      ticket = await recordImportJob(this.jobs, trx, created.id, this.principal.actor);
    });
    await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'import.revert', target: `import:${id}`, details: { revertBatchId: created!.id } });
    await this.jobs.dispatch([ticket!]);
    return { ...created!, job_ticket: (ticket as JobTicket | null)!.id };
  }
}
