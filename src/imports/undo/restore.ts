/**
 * Puts back what a batch replaced and removes what it added, inside the revert's transaction, table by table in
 * the reverse order of the merge. Before each table is touched, its current state in the same scope is kept in
 * the revert's own undo log, so the revert can be reverted in turn.
 *
 * Participant rows are restored like an import writes them: a large scope rebuilds the year's partition from the
 * rows moved aside (bulk index build, one foreign-key check at ATTACH) and moves the current partition aside in
 * turn; a small one is deleted and inserted in place.
 *
 * What the batch created goes with it, so the database is as it was before the import: rows it added (a region,
 * municipality, school — revertRefusal has checked and locked them; an assessment only when unused, added-rows.ts)
 * and a year partition it created, when the revert leaves it empty.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../../shared/logger';
import type { ImportSettings } from '../loading/import-settings';
import {
  createMovedTable,
  createParticipantStage,
  dropPartitionIfEmpty,
  IMPORT_YEAR_LOCK,
  keptRowCount,
  partitionExists,
  partitionName,
  ROW_COLUMNS,
  swapInRebuiltPartition,
} from '../loading/targets/participant-partition';
import { addedIdsSql, deleteDerivedRows, SHARED_TABLES, unusedAddedIds } from './added-rows';
import { keyMatch, movedTableName, targetsOf, UndoLog, type UndoTarget, type UndoTargetRow } from './undo-log';

/** Refused while restoring (data that cannot be put back); the revert's transaction rolls back with it. */
export class RevertRefusal extends Error {}

export interface RestoreCounts {
  restored: number;
  removed: number;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class Restorer {
  readonly rebuiltYears: number[] = [];
  private readonly log: UndoLog;

  constructor(
    private readonly trx: Knex,
    private readonly settings: ImportSettings,
    private readonly logger: Logger,
    revertBatchId: number,
    private readonly original: number,
  ) {
    this.log = new UndoLog(trx, revertBatchId);
  }

  async run(): Promise<RestoreCounts> {
    const targets = await targetsOf(this.trx, this.original);
    const counts: RestoreCounts = { restored: 0, removed: 0 };
    for (const target of [...targets].reverse()) {
      const undoTarget: UndoTarget = { table: target.table_name, keyColumns: target.key_columns, mode: target.mode };
      await this.log.copyKeys(this.original, undoTarget);
      const done = target.mode === 'partitioned' ? await this.participants(target) : await this.rows(undoTarget);
      counts.restored += done.restored;
      counts.removed += done.removed;
    }
    return counts;
  }

  /** Smaller tables: from the jsonb rows kept. */
  private async rows(target: UndoTarget): Promise<RestoreCounts> {
    const { trx, original } = this;
    const table = ident(target.table);
    await this.log.keepRowsOfKeys(target, this.log.batchId);
    const keys = `(select k.key, (jsonb_populate_record(null::${table}, k.key)).* from import_undo_key k where k.batch_id = ${Number(original)} and k.table_name = '${target.table}')`;
    const kept = `(select (jsonb_populate_record(null::${table}, r.row)).* from import_undo_row r where r.batch_id = ${Number(original)} and r.table_name = '${target.table}')`;
    if (target.mode === 'rows') {
      const removed = await trx.raw(`delete from ${table} t using ${keys} k where ${keyMatch(target.keyColumns, 't', 'k')}`);
      const restored = await trx.raw(`insert into ${table} overriding system value select * from ${kept} r`);
      return { restored: restored.rowCount ?? 0, removed: removed.rowCount ?? 0 };
    }
    // update: rows kept are written back (inserted again when gone), rows the batch added are deleted.
    const { rows: columns } = await trx.raw(
      `select attname from pg_attribute where attrelid = ?::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
      [target.table],
    );
    const others = (columns as { attname: string }[]).map((c) => c.attname).filter((c) => !target.keyColumns.includes(c));
    const updated = await trx.raw(
      `update ${table} t set ${others.map((c) => `${ident(c)} = r.${ident(c)}`).join(', ')} from ${kept} r where ${keyMatch(target.keyColumns, 't', 'r')}`,
    );
    const inserted = await trx.raw(
      `insert into ${table} overriding system value select * from ${kept} r where not exists (select 1 from ${table} t where ${keyMatch(target.keyColumns, 't', 'r')})`,
    );
    // Rows the batch added: revertRefusal made sure no later data refers to a region, municipality or school among
    // them (and locked them); an assessment goes only when nothing else uses it.
    const added = SHARED_TABLES.has(target.table)
      ? await unusedAddedIds(trx, original, target.table)
      : ((await trx.raw(`select t.id from ${table} t where t.id in (${addedIdsSql(original, target.table)})`)).rows as { id: number }[]).map((row) => row.id);
    await deleteDerivedRows(trx, target.table, added);
    const removed = added.length === 0 ? { rowCount: 0 } : await trx.raw(`delete from ${table} where id in (${added.map(Number).join(',')})`);
    return { restored: (updated.rowCount ?? 0) + (inserted.rowCount ?? 0), removed: removed.rowCount ?? 0 };
  }

  /** participant_result, year by year, from the tables its rows were moved aside into. */
  private async participants(target: UndoTargetRow): Promise<RestoreCounts> {
    const { trx, original } = this;
    const { rows: yearRows } = await trx.raw(
      `select distinct (key->>'year')::int as year from import_undo_key where batch_id = ? and table_name = 'participant_result' order by 1`,
      [original],
    );
    const counts: RestoreCounts = { restored: 0, removed: 0 };
    for (const { year } of yearRows as { year: number }[]) {
      const source = movedTableName(original, year);
      const present = await trx.raw(`select to_regclass(?) is not null as present`, [source]);
      if (!target.moved_tables.includes(source) || !present.rows[0].present) {
        throw new RevertRefusal(`Отменить нельзя: сохранённые строки участников за ${year} год не найдены (срок отмены истёк или они удалены).`);
      }
      if (!(await partitionExists(trx, year))) {
        // Gone since (the revert of a revert puts back a partition its revert dropped): this revert created it.
        await trx.raw('select ensure_participant_partition(?)', [year]);
        await this.log.createdPartition(year);
      }
      await trx.raw('select pg_advisory_xact_lock(?, ?)', [IMPORT_YEAR_LOCK, year]);
      const scopeTable = `revert_scope_${this.log.batchId}_${year}`;
      await trx.raw(
        `create temp table ${scopeTable} on commit drop as
         select (jsonb_populate_record(null::participant_result, key)).school_id, (jsonb_populate_record(null::participant_result, key)).assessment_id
         from import_undo_key where batch_id = ? and table_name = 'participant_result' and (key->>'year')::int = ?`,
        [original, year],
      );
      await trx.raw(`analyze ${scopeTable}`);
      const scope = `(select school_id, assessment_id from ${scopeTable})`;
      const inScope = (alias: string) => `${alias}.year = ${Number(year)} and exists (select 1 from ${scopeTable} sc where sc.school_id = ${alias}.school_id and sc.assessment_id = ${alias}.assessment_id)`;
      const { rows: incomingRows } = await trx.raw(`select count(*)::int as n from ${source} m where ${inScope('m')}`);
      const { rows: currentRows } = await trx.raw(`select count(*)::int as n from ${partitionName(year)} p where ${inScope('p')}`);
      const incoming: number = incomingRows[0].n;
      const current: number = currentRows[0].n;
      const moved = movedTableName(this.log.batchId, year);
      const larger = Math.max(incoming, current);
      if (larger >= this.settings.rebuildMinRows && (await keptRowCount(trx, year, scope)) <= 2 * larger) {
        const stage = `import_stage_${this.log.batchId}_${year}`;
        await createParticipantStage(trx, stage);
        await trx.raw(`insert into ${stage} (${ROW_COLUMNS}) select ${ROW_COLUMNS} from ${source} m where ${inScope('m')}`);
        if (await swapInRebuiltPartition(trx, stage, year, scope, moved)) {
          await this.log.movedAside(moved);
          this.rebuiltYears.push(year);
          counts.restored += incoming;
          counts.removed += current;
          await this.dropIfCreated(target, year);
          continue;
        }
        await trx.raw(`drop table ${stage}`);
        this.logger.warn({ batchId: this.log.batchId, year }, 'participant_result busy: reverting in place instead of rebuilding the partition');
      }
      await createMovedTable(trx, moved);
      await this.log.movedAside(moved);
      const removed = await trx.raw(
        `with gone as (delete from participant_result p where ${inScope('p')} returning ${ROW_COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')})
         insert into ${moved} (${ROW_COLUMNS}) select ${ROW_COLUMNS} from gone`,
      );
      const restored = await trx.raw(`insert into participant_result (${ROW_COLUMNS}) select ${ROW_COLUMNS} from ${source} m where ${inScope('m')}`);
      counts.restored += restored.rowCount ?? 0;
      counts.removed += removed.rowCount ?? 0;
      await this.dropIfCreated(target, year);
    }
    return counts;
  }

  /**
   * The year's partition goes again when the batch created it and the revert leaves it empty (other imports'
   * rows of that year keep it). The revert's own log keeps no note of it: reverting the revert creates the
   * partition again when it puts the rows back.
   */
  private async dropIfCreated(target: UndoTargetRow, year: number): Promise<void> {
    if (!target.created_partitions.includes(year)) return;
    await dropPartitionIfEmpty(this.trx, year);
  }
}
