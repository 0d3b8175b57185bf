/**
 * rerunImport on behalf of an API key: a finished batch whose file was kept (kept-files.ts) is started again as a new
 * batch — the same file, the same options (layout, mapping, constants, file options, policy) — for instance after an
 * administrator confirmed its unknown school codes as aliases (confirmSchoolAlias). The access rules are startImport's:
 * administrators any batch, a regional centre its region's (another region's batch is «not found»). The new batch is
 * written QUEUED with its job request (outbox) and takes the file over, so the file still belongs to one batch only;
 * it is never recognised as a repeat of the batch it re-runs. Audited as `import.rerun`.
 */
import { access } from 'node:fs/promises';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { JobGateway, JobTicket } from '../../jobs/job-gateway';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { hubError } from '../../graphql/errors';
import type { ImportBatchRow } from './import-batch.store';
import { ImportRequests, recordImportJob } from './import-requests';
import { ImportStatus } from './import-status';

const FILE_GONE =
  'Перезапустить её можно, только пока хранится её файл: файл загрузки, в которой отклонены строки (а не файл целиком), хранится ' +
  'UPLOAD_RETENTION_HOURS ч (по умолчанию 24) после её завершения, файлы остальных загрузок удаляются сразу. Загрузите файл заново (POST /imports).';

export class ImportRerun {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly jobs: JobGateway,
    private readonly remoteAddress: string | null = null,
  ) {}

  async request(id: number): Promise<ImportBatchRow> {
    await new ImportRequests(this.em, this.principal, this.jobs, this.remoteAddress).visible(id);
    const knex = this.em.getKnex();
    let ticket: JobTicket | null = null;
    let created: ImportBatchRow | null = null;
    await knex.transaction(async (trx) => {
      // Two re-runs at once: the second finds the file taken over by the first.
      const { rows: locked } = await trx.raw(`select * from import_batch where id = ? for update`, [id]);
      const original = locked[0] as ImportBatchRow;
      await this.refuseUnlessRerunnable(trx, original);
      const { rows } = await trx.raw(
        `insert into import_batch (actor, role, region_id, file_name, content_type, file_size, file_sha256, stored_path, status, queued_at,
           layout_requested, mapping, constants, read_options, policy, max_error_share, options_digest, dry_run, rerun_of)
         select ?, ?, region_id, file_name, content_type, file_size, file_sha256, stored_path, 'QUEUED', now(),
           layout_requested, mapping, constants, read_options, policy, max_error_share, options_digest, dry_run, id
         from import_batch where id = ? returning *`,
        [this.principal.actor, this.principal.role, id],
      );
      created = rows[0] as ImportBatchRow;
      await trx.raw(`update import_batch set stored_path = null where id = ?`, [id]);
      ticket = await recordImportJob(this.jobs, trx, created.id, this.principal.actor);
    });
    await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'import.rerun', target: `import:${id}`, details: { rerunBatchId: created!.id } });
    await this.jobs.dispatch([ticket!]);
    return { ...created!, job_ticket: (ticket as JobTicket | null)!.id };
  }

  private async refuseUnlessRerunnable(trx: Knex, batch: ImportBatchRow): Promise<void> {
    const id = batch.id;
    if (batch.reverts_batch_id !== null) throw hubError('CONFLICT', `Пакет № ${id} — отмена загрузки № ${batch.reverts_batch_id}, а не загрузка файла: перезапускать нечего.`);
    if (batch.status === ImportStatus.UPLOADED) throw hubError('CONFLICT', `Загрузка № ${id} ещё не запускалась: запустите её (startImport).`);
    if (batch.status !== ImportStatus.REJECTED && batch.status !== ImportStatus.DONE && batch.status !== ImportStatus.FAILED && batch.status !== ImportStatus.CANCELLED) {
      throw hubError('CONFLICT', `Загрузка № ${id} ещё выполняется: перезапустить можно только завершённую загрузку.`);
    }
    if (batch.stored_path !== null && (await access(batch.stored_path).then(() => true, () => false))) return;
    const { rows } = await trx.raw(`select id from import_batch where rerun_of = ? order by id desc limit 1`, [id]);
    if (rows.length > 0) {
      throw hubError('CONFLICT', `Файл загрузки № ${id} передан её перезапуску — загрузке № ${rows[0].id}: перезапускайте её, если нужно.`);
    }
    throw hubError('CONFLICT', `Файл загрузки № ${id} больше не хранится. ${FILE_GONE}`);
  }
}
