/**
 * The year partitions of participant_result, as a large import sees them.
 *
 * Inserting a million rows into participant_result one by one costs ~14 µs a row: two indexes are updated per
 * row and both foreign keys are checked per row by triggers. A large import therefore builds the year's
 * partition anew inside its transaction — the staged rows plus the rows of the year it does not replace, indexes
 * built in bulk — and swaps it in: DETACH the old partition, set it aside as the import's undo (renamed, not
 * copied), ATTACH the new one, which checks the foreign keys with one join instead of a million lookups. Readers wait only for the swap itself (well under a second).
 * The stage table is created from the catalog rather than with LIKE, because LIKE would hold a lock on
 * participant_result for the whole import and block the creation of new year partitions.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { notifyDataChanged } from '../../../shared/data-changes';
import { PARTICIPANT_COPY_COLUMNS } from '../../../assessments/participant-copy';

/** Advisory-lock namespace: participant imports of one year merge one at a time. */
export const IMPORT_YEAR_LOCK = 41_031;
/** How long the swap waits for readers of participant_result before falling back to an in-place update. */
const SWAP_LOCK_TIMEOUT = '15s';

export const stageColumns = [...PARTICIPANT_COPY_COLUMNS, 'source_row'] as const;
export const ROW_COLUMNS = ['id', ...PARTICIPANT_COPY_COLUMNS].join(', ');

/** A table shaped like a partition of participant_result (same columns, collations, NOT NULLs and CHECKs), plus source_row. */
export async function createParticipantStage(trx: Knex, table: string): Promise<void> {
  const { rows: columns } = await trx.raw(
    // A column's own collation (participant_code's "C") is part of its definition: ATTACH refuses a table whose
    // collations differ from the parent's, and the unique key is built under it.
    `select format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
       case when a.attcollation <> t.typcollation then format(' collate %I', co.collname) else '' end,
       case when a.attnotnull then ' not null' else '' end) as definition
     from pg_attribute a join pg_type t on t.oid = a.atttypid left join pg_collation co on co.oid = a.attcollation
     where a.attrelid = 'participant_result'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
  );
  const { rows: checks } = await trx.raw(
    `select format('constraint %I %s', conname, pg_get_constraintdef(oid)) as definition
     from pg_constraint where conrelid = 'participant_result'::regclass and contype = 'c' order by conname`,
  );
  const { rows: sequence } = await trx.raw(`select pg_get_serial_sequence('participant_result', 'id') as name`);
  const definitions = [...columns, ...checks].map((row: { definition: string }) => row.definition);
  await trx.raw(`create table ${table} (${definitions.join(', ')}, source_row integer)`);
  await trx.raw(`alter table ${table} alter column id set default nextval('${sequence[0].name}'::regclass)`);
}

export async function partitionExists(knex: Knex, year: number): Promise<boolean> {
  const { rows } = await knex.raw(`select to_regclass(?) is not null as present`, [partitionName(year)]);
  return rows[0].present;
}

/**
 * Creates the year's partition on a pool connection (its own short transaction): creating a partition locks
 * participant_result, school and assessment, which the import's transaction must not hold meanwhile. The lock
 * timeout turns a wait on another import into an error (and a retry) rather than a hang.
 */
export async function ensureYearPartition(knex: Knex, year: number): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw(`set local lock_timeout = '30s'`);
    await trx.raw('select ensure_participant_partition(?)', [year]);
  });
}

/**
 * Drops the year's partition when it holds no row, inside `trx`. Imports of the year wait on IMPORT_YEAR_LOCK, taken
 * here; the table lock keeps any other writer out between the look and the drop. True when it was dropped.
 */
export async function dropPartitionIfEmpty(trx: Knex, year: number): Promise<boolean> {
  await trx.raw('select pg_advisory_xact_lock(?, ?)', [IMPORT_YEAR_LOCK, year]);
  if (!(await partitionExists(trx, year))) return false;
  await trx.raw(`lock table ${partitionName(year)} in access exclusive mode`);
  const { rows } = await trx.raw(`select not exists (select 1 from ${partitionName(year)}) as empty`);
  if (rows[0].empty) await trx.raw(`drop table ${partitionName(year)}`);
  return rows[0].empty;
}

export function partitionName(year: number): string {
  return `participant_result_${year}`;
}

/** Rows of the year that the import does not replace (those it keeps when the partition is rebuilt). */
export async function keptRowCount(trx: Knex, year: number, scopeTable: string): Promise<number> {
  const { rows } = await trx.raw(
    `select count(*)::int as n from ${partitionName(year)} p
     where not exists (select 1 from ${scopeTable} sc where sc.school_id = p.school_id and sc.assessment_id = p.assessment_id)`,
  );
  return rows[0].n;
}

interface ParentIndex {
  oid: number;
  constraint_def: string | null;
  index_def: string;
  old_name: string | null;
}

/**
 * Turns the stage table into the year's partition: copies the kept rows in, builds the parent's indexes and
 * constraints on it in bulk, then swaps it for the old partition. Returns false (and changes nothing, thanks to
 * a savepoint) when readers hold participant_result for longer than the lock timeout; the caller then updates
 * in place. The stage must contain only rows to merge (excluded rows deleted). The old partition is not dropped
 * but kept aside as `keepOldAs` (renamed, without its indexes and foreign keys): it holds the replaced rows for
 * an undo, at the cost of a rename.
 */
export async function swapInRebuiltPartition(trx: Knex, stage: string, year: number, scopeTable: string, keepOldAs: string): Promise<boolean> {
  const old = partitionName(year);
  await trx.raw('savepoint partition_swap');
  try {
    await trx.raw(
      `insert into ${stage} (${ROW_COLUMNS}) select ${ROW_COLUMNS} from ${old} p
       where not exists (select 1 from ${scopeTable} sc where sc.school_id = p.school_id and sc.assessment_id = p.assessment_id)`,
    );
    await trx.raw(`alter table ${stage} drop column source_row`);
    // With this CHECK in place ATTACH needs no scan to prove every row belongs to the year.
    await trx.raw(`alter table ${stage} add constraint ${stage}_year check (year = ${Number(year)})`);
    const { rows: indexes } = await trx.raw(
      `select x.indexrelid::int as oid, pg_get_constraintdef(c.oid) as constraint_def, pg_get_indexdef(x.indexrelid) as index_def,
         (select ci.relname from pg_inherits i join pg_class ci on ci.oid = i.inhrelid join pg_index xi on xi.indexrelid = ci.oid
          where i.inhparent = x.indexrelid and xi.indrelid = ?::regclass) as old_name
       from pg_index x left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid
       where x.indrelid = 'participant_result'::regclass order by x.indexrelid`,
      [old],
    );
    const built: { temporary: string; final: string | null }[] = [];
    for (const [n, index] of (indexes as ParentIndex[]).entries()) {
      const temporary = `${stage}_i${n}`;
      if (index.constraint_def) {
        await trx.raw(`alter table ${stage} add constraint ${temporary} ${index.constraint_def}`);
      } else {
        const method = index.index_def.slice(index.index_def.indexOf(' USING '));
        await trx.raw(`create index ${temporary} on ${stage}${method}`);
      }
      built.push({ temporary, final: index.old_name });
    }
    await trx.raw(`set local lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
    await trx.raw(`alter table participant_result detach partition ${old}`);
    await setAside(trx, old, keepOldAs);
    await trx.raw(`alter table ${stage} rename to ${old}`);
    for (const { temporary, final } of built) if (final) await trx.raw(`alter index ${temporary} rename to ${final}`);
    await trx.raw(`alter table participant_result attach partition ${old} for values in (${Number(year)})`);
    await trx.raw(`alter table ${old} drop constraint ${stage}_year`);
    // ATTACH is DDL: no trigger tells the API processes that the year's rows changed.
    await notifyDataChanged(trx, 'participant_result');
    await trx.raw(`set local lock_timeout = 0`);
    await trx.raw('release savepoint partition_swap');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    await trx.raw('rollback to savepoint partition_swap');
    await trx.raw(`set local lock_timeout = 0`);
    return false;
  }
}

/**
 * A detached partition becomes an undo table: renamed, its indexes and constraints (primary key, unique, foreign
 * keys) dropped — their names are the new partition's, and a row kept for an undo must not hold back the deletion
 * of a school or an assessment. Dropping an index costs no scan.
 */
async function setAside(trx: Knex, table: string, keepAs: string): Promise<void> {
  await trx.raw(`alter table ${table} rename to ${keepAs}`);
  const { rows: constraints } = await trx.raw(`select conname from pg_constraint where conrelid = ?::regclass and contype in ('p', 'u', 'f', 'x')`, [keepAs]);
  for (const { conname } of constraints as { conname: string }[]) await trx.raw(`alter table ${keepAs} drop constraint "${conname}"`);
  const { rows: indexes } = await trx.raw(`select c.relname from pg_index x join pg_class c on c.oid = x.indexrelid where x.indrelid = ?::regclass`, [keepAs]);
  for (const { relname } of indexes as { relname: string }[]) await trx.raw(`drop index "${relname}"`);
}

/** An empty table shaped like participant_result's rows, for rows an in-place merge moves aside. */
export async function createMovedTable(trx: Knex, table: string): Promise<void> {
  await trx.raw(`create table if not exists ${table} as select ${ROW_COLUMNS} from participant_result with no data`);
}

/**
 * Deletes the scope's rows of the year, moving them into `movedTable` (created by createMovedTable), and inserts the
 * staged ones (row by row: for smaller imports).
 */
export async function mergeInPlace(trx: Knex, stage: string, year: number, scopeTable: string, movedTable: string): Promise<{ inserted: number; replaced: number }> {
  const removed = await trx.raw(
    `with gone as (delete from participant_result p using ${scopeTable} sc where p.year = ? and p.school_id = sc.school_id and p.assessment_id = sc.assessment_id
                   returning ${ROW_COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')})
     insert into ${movedTable} (${ROW_COLUMNS}) select ${ROW_COLUMNS} from gone`,
    [year],
  );
  const added = await trx.raw(`insert into participant_result (${ROW_COLUMNS}) select ${ROW_COLUMNS} from ${stage} where year = ?`, [year]);
  return { inserted: added.rowCount ?? 0, replaced: removed.rowCount ?? 0 };
}
