/**
 * Undo data is kept IMPORT_UNDO_DAYS (undo_until of each batch); the upload sweeper then removes it: the tables
 * participant rows were moved aside into, and the kept keys and rows. The batch row stays, with its undo_until,
 * so a late revertImport says when the period ended.
 */
import type { Knex } from '@mikro-orm/postgresql';

export async function expireUndo(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(
    `select b.id from import_batch b where b.undo_until < now() and exists (select 1 from import_undo_target t where t.batch_id = b.id) order by b.id limit 100`,
  );
  for (const { id } of rows as { id: number }[]) {
    await knex.transaction(async (trx) => {
      const { rows: targets } = await trx.raw(`select unnest(moved_tables) as moved from import_undo_target where batch_id = ?`, [id]);
      for (const { moved } of targets as { moved: string }[]) await trx.raw(`drop table if exists "${moved.replace(/"/g, '""')}"`);
      await trx.raw(`delete from import_undo_row where batch_id = ?`, [id]);
      await trx.raw(`delete from import_undo_key where batch_id = ?`, [id]);
      await trx.raw(`delete from import_undo_target where batch_id = ?`, [id]);
    });
  }
  return rows.length;
}
