/**
 * Whether a batch can still be reverted: its effect must be in place (not reverted, or its revert reverted), no
 * later batch still in place may have replaced part of the same scope — restoring under it would silently undo
 * part of that later import —, and no data loaded since may refer to a row it added (added-rows.ts). Reverts of later batches do not count (they cancel their batch), unless they
 * revert something older than the batch in question.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { addedRowsRefusal } from './added-rows';
import { dateRu } from './undo-text';

interface Related {
  id: number;
  reverts_batch_id: number | null;
  reverted_by_batch_id: number | null;
}

export interface RevertableBatch {
  id: number;
  status: string;
  duplicate_of: number | null;
  undo_until: Date | null;
  reverted_by_batch_id: number | null;
  /** A dry run under way, or its preview once it returned the batch to UPLOADED: it changed nothing. */
  dry_run: boolean;
  preview: unknown;
}

/** Later batches, in place, whose scope overlaps the batch's. */
async function laterBlockingBatches(knex: Knex, batchId: number): Promise<number[]> {
  const { rows } = await knex.raw(
    `select distinct b.id, b.reverts_batch_id, b.reverted_by_batch_id
     from import_undo_key k
     join import_undo_key l on l.table_name = k.table_name and l.key = k.key and l.batch_id > k.batch_id
     join import_batch b on b.id = l.batch_id and b.status = 'DONE'
     where k.batch_id = ?`,
    [batchId],
  );
  const related = new Map((rows as Related[]).map((row) => [row.id, row]));
  return [...related.values()]
    .filter((row) => inPlace(row.id, related) && (row.reverts_batch_id === null || row.reverts_batch_id < batchId))
    .map((row) => row.id)
    .sort((a, b) => a - b);
}

/** A batch is in place unless a revert that is itself in place reverted it. */
function inPlace(id: number, related: Map<number, Related>, depth = 0): boolean {
  const row = related.get(id);
  if (!row || row.reverted_by_batch_id === null || depth > 1000) return true;
  const revert = related.get(row.reverted_by_batch_id);
  return revert === undefined ? false : !inPlace(revert.id, related, depth + 1);
}

/**
 * The Russian reason a batch cannot be reverted now, or null: the one decision behind revertImport (asked, and
 * again inside the revert's transaction) and ImportBatch.revertible / revertBlockedReason. `revertBatchId`: the
 * revert being run (not a rival), inside whose transaction rows the batch added are locked while checked.
 */
export async function revertRefusal(knex: Knex, batch: RevertableBatch, revertBatchId: number | null = null): Promise<string | null> {
  const { id } = batch;
  if (batch.dry_run || (batch.status === 'UPLOADED' && batch.preview !== null && batch.preview !== undefined)) {
    return `Загрузка № ${id} была только пробным запуском (dryRun): данные не изменялись, отменять нечего. Чтобы загрузить файл, запустите startImport без dryRun.`;
  }
  if (batch.status !== 'DONE') return `Загрузку № ${id} отменить нельзя: она не завершена успешно и ничего не записала.`;
  if (batch.duplicate_of !== null) return `Загрузку № ${id} отменять не нужно: она повторила загрузку № ${batch.duplicate_of} и ничего не изменила.`;
  if (batch.undo_until !== null && new Date(batch.undo_until).getTime() <= Date.now()) {
    return `Загрузку № ${id} отменить нельзя: срок отмены истёк ${dateRu(new Date(batch.undo_until))} (IMPORT_UNDO_DAYS), сохранённые данные удалены.`;
  }
  const { rows: targets } = await knex.raw(`select count(*)::int as n from import_undo_target where batch_id = ?`, [id]);
  if (batch.undo_until === null || targets[0].n === 0) return `Загрузку № ${id} отменить нельзя: для неё не сохранено, что она заменила (загрузка сделана до появления отмены).`;
  if (batch.reverted_by_batch_id !== null) {
    const { rows } = await knex.raw(
      `with recursive chain as (
         select id, reverted_by_batch_id, 0 as depth from import_batch where id = ?
         union all select b.id, b.reverted_by_batch_id, c.depth + 1 from import_batch b join chain c on b.id = c.reverted_by_batch_id where c.depth < 1000)
       select id, reverted_by_batch_id from chain`,
      [batch.reverted_by_batch_id],
    );
    // The revert is in place unless reverted by a revert in place: so when the chain of reverts from it has odd length.
    const chain = rows as { id: number; reverted_by_batch_id: number | null }[];
    const revertInPlace = chain.length % 2 === 1;
    if (revertInPlace) return `Загрузка № ${id} уже отменена (пакет № ${batch.reverted_by_batch_id}).`;
  }
  const { rows: pending } = await knex.raw(
    `select id from import_batch where reverts_batch_id = ? and id <> ? and status in ('QUEUED', 'PARSING', 'VALIDATING', 'MERGING') order by id limit 1`,
    [id, revertBatchId ?? -1],
  );
  if (pending.length > 0) return `Загрузка № ${id} уже отменяется (пакет № ${pending[0].id}).`;
  const later = await laterBlockingBatches(knex, id);
  if (later.length > 0) {
    const list = later.map((n) => `№ ${n}`).join(', ');
    return (
      `Загрузку № ${id} отменить нельзя: позже ${later.length === 1 ? 'загрузка' : 'загрузки'} ${list} ${later.length === 1 ? 'заменила' : 'заменили'} часть тех же данных. ` +
      `Сначала отмените ${later.length === 1 ? 'её' : 'их, начиная с последней'}.`
    );
  }
  return addedRowsRefusal(knex, id, revertBatchId !== null);
}
