/**
 * Rows a batch added to tables keyed by id (`update` targets: a region, municipality or school the directory
 * created, an assessment created for the file's data) are deleted by its revert. A delete would cascade to (or be
 * blocked by) whatever refers to them, so:
 *
 * - a region, municipality or school the batch added that data loaded since refers to makes the revert refused,
 *   naming the row, the data and the batches that loaded it (`addedRowsRefusal`, part of revertRefusal);
 * - an assessment (a catalogue entry shared by every school's data) is removed only when nothing else uses it,
 *   and left in place otherwise — never a reason to refuse (`unusedAddedIds`).
 *
 * Rows the recompute jobs derive from the data (computed school results and reference values, risk values and
 * zones) are no use of their own: the revert asks for the same recomputes, which rebuild them from what is left.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { TOUCHED } from '../../recommendations';
import { TABLE_NAMES_RU } from './undo-text';
import { targetsOf, UNDO_TARGETS, type UndoTargetRow } from './undo-log';

/** Catalogue tables: rows the batch added are removed when unused and left when used. */
export const SHARED_TABLES: ReadonlySet<string> = new Set([UNDO_TARGETS.assessment.table]);

/**
 * Rows of a table that the recomputes derive from the data (`r` is the row): an action plan counts while nobody
 * added a measure to it or worked on one.
 */
const DERIVED_ROWS: Record<string, string> = {
  school_result: `r.source = 'COMPUTED'`,
  benchmark_result: `r.source = 'computed'`,
  risk_indicator_value: 'true',
  risk_zone: 'true',
  action_plan: `not exists (select 1 from planned_measure m where m.plan_id = r.id and (m.origin = 'MANUAL' or ${TOUCHED}))`,
};

/** How the referring row's table is keyed in undo logs, for naming the batches that wrote it. */
const KEY_COLUMNS: Record<string, readonly string[]> = Object.fromEntries(Object.values(UNDO_TARGETS).map((target) => [target.table, target.keyColumns]));

const OBJECT_RU: Record<string, string> = { region: 'к региону', municipality: 'к муниципалитету', school: 'к ОО', assessment: 'к процедуре' };

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface Reference {
  source: string;
  column: string;
}

/**
 * Single-column foreign keys to `table` (partitions of a partitioned table are covered by its parent's key). A key
 * that sets null on delete is left out: the delete loses nothing there.
 */
async function referencesTo(knex: Knex, table: string): Promise<Reference[]> {
  const { rows } = await knex.raw(
    `select c.conrelid::regclass::text as source, a.attname as column
     from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.confrelid = ?::regclass and cardinality(c.conkey) = 1 and c.confdeltype <> 'n'
       and not exists (select 1 from pg_inherits i where i.inhrelid = c.conrelid)
     order by 1, 2`,
    [table],
  );
  return rows;
}

/** `jsonb_build_object('k1', r.k1, …)`: a row's key as undo logs record it. */
const keyOf = (columns: readonly string[], alias: string): string => `jsonb_build_object(${columns.map((c) => `'${c}', ${alias}.${ident(c)}`).join(', ')})`;

/** Ids the batch added to `table`: keys it recorded without keeping a row (the row did not exist before). */
export function addedIdsSql(batchId: number, table: string): string {
  return `select (k.key->>'id')::int from import_undo_key k where k.batch_id = ${Number(batchId)} and k.table_name = '${table}'
    and not exists (select 1 from import_undo_row r where r.batch_id = k.batch_id and r.table_name = k.table_name and r.row @> k.key)`;
}

/** Deletes the derived rows referring to `ids` (they would block the delete, or go with it anyway). */
export async function deleteDerivedRows(trx: Knex, table: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  for (const { source, column } of await referencesTo(trx, table)) {
    const derived = DERIVED_ROWS[source];
    if (derived) await trx.raw(`delete from ${ident(source)} r where r.${ident(column)} in (${ids.map(Number).join(',')}) and ${derived}`);
  }
}

/** Of the ids the batch added to a catalogue table and still present, those nothing but derived rows refers to. */
export async function unusedAddedIds(trx: Knex, batchId: number, table: string): Promise<number[]> {
  const uses = (await referencesTo(trx, table)).map(
    ({ source, column }) =>
      `exists (select 1 from ${ident(source)} r where r.${ident(column)} = t.id${DERIVED_ROWS[source] ? ` and not (${DERIVED_ROWS[source]})` : ''})`,
  );
  const { rows } = await trx.raw(
    `select t.id from ${ident(table)} t where t.id in (${addedIdsSql(batchId, table)})${uses.length > 0 ? ` and not (${uses.join(' or ')})` : ''} order by t.id`,
  );
  return (rows as { id: number }[]).map((row) => row.id);
}

interface Use {
  table: string;
  id: number;
  name: string;
  source: string;
  rows: number;
}

/**
 * Why the batch cannot be reverted because of data loaded since for a region, municipality or school it added,
 * or null. Rows in the batch's own scope do not count (its revert removes or restores them). `lock`: inside the
 * revert's transaction the added rows are locked first, so nothing can come to refer to them before they go.
 */
export async function addedRowsRefusal(knex: Knex, batchId: number, lock: boolean): Promise<string | null> {
  const targets = await targetsOf(knex, batchId);
  const own = new Map<string, UndoTargetRow>(targets.map((target) => [target.table_name, target]));
  const uses: Use[] = [];
  const laterBatches = new Set<number>();
  for (const target of targets) {
    if (target.mode !== 'update' || SHARED_TABLES.has(target.table_name) || target.key_columns.join() !== 'id') continue;
    const table = ident(target.table_name);
    const { rows: added } = await knex.raw(
      `select t.id, t.name from ${table} t where t.id in (${addedIdsSql(batchId, target.table_name)}) order by t.id${lock ? ' for update' : ''}`,
    );
    if (added.length === 0) continue;
    const names = new Map((added as { id: number; name: string }[]).map((row) => [row.id, row.name]));
    const ids = [...names.keys()].join(',');
    for (const { source, column } of await referencesTo(knex, target.table_name)) {
      const conditions = [`r.${ident(column)} in (${ids})`];
      if (DERIVED_ROWS[source]) conditions.push(`not (${DERIVED_ROWS[source]})`);
      const ownTarget = own.get(source);
      if (ownTarget) {
        conditions.push(
          `not exists (select 1 from import_undo_key k where k.batch_id = ${Number(batchId)} and k.table_name = '${source}' and k.key = ${keyOf(ownTarget.key_columns, 'r')})`,
        );
      }
      const where = conditions.join(' and ');
      const { rows } = await knex.raw(`select r.${ident(column)} as id, count(*)::int as n from ${ident(source)} r where ${where} group by 1 order by 1`);
      for (const row of rows as { id: number; n: number }[]) uses.push({ table: target.table_name, id: row.id, name: names.get(row.id) ?? String(row.id), source, rows: row.n });
      const keyColumns = KEY_COLUMNS[source];
      if (rows.length > 0 && keyColumns) {
        const { rows: batches } = await knex.raw(
          `select distinct k.batch_id from ${ident(source)} r
           join import_undo_key k on k.table_name = '${source}' and k.key = ${keyOf(keyColumns, 'r')} and k.batch_id > ${Number(batchId)}
           join import_batch b on b.id = k.batch_id and b.status = 'DONE' and b.reverted_by_batch_id is null and b.reverts_batch_id is null
           where ${where}`,
        );
        for (const { batch_id } of batches as { batch_id: number }[]) laterBatches.add(batch_id);
      }
    }
  }
  if (uses.length === 0) return null;
  const byObject = new Map<string, string[]>();
  for (const use of uses) {
    const object = `${OBJECT_RU[use.table] ?? use.table} «${use.name}»`;
    byObject.set(object, [...(byObject.get(object) ?? []), `${TABLE_NAMES_RU[use.source] ?? use.source} (${use.rows})`]);
  }
  const described = [...byObject].map(([object, data]) => `${object} — ${data.join(', ')}`).join('; ');
  const later = [...laterBatches].sort((a, b) => a - b).map((id) => `№ ${id}`);
  return (
    `Загрузку № ${batchId} отменить нельзя: она добавила записи, к которым уже относятся данные, загруженные позже: ${described}. ` +
    `Отмена удалила бы и их. ` +
    (later.length > 0
      ? `Сначала отмените ${later.length === 1 ? 'загрузку' : 'загрузки'} ${later.join(', ')}.`
      : 'Сначала удалите эти данные или отмените их загрузки.')
  );
}
