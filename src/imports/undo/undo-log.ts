/**
 * What a merge replaced, kept so that the merge can be undone (migration Migration20261212000100_import_undo).
 *
 * A loader tells the log, before it writes, which scope of which table it is about to replace (`keep`): the keys
 * (school × assessment, school × year…) go to import_undo_key and the rows of the table in that scope to
 * import_undo_row as jsonb. Keys of rows the merge adds without replacing anything (a new school) are recorded
 * after the write (`keysOnly`). Participant rows are never copied: the loader moves them aside into a table of
 * its own (`movedAside`: the detached year partition, or the rows the in-place merge deleted).
 *
 * `restore` (a revert) works from the same records, table by table in reverse order, and keeps the current state
 * of the scope in the revert's own log first, so a revert can be reverted.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { arrayLiteral } from '../../shared/sql';

type UndoMode = 'rows' | 'update' | 'partitioned';

export interface UndoTarget {
  table: string;
  keyColumns: readonly string[];
  /** rows: the scope is deleted and its kept rows put back; update: kept rows are updated back, added ones deleted. */
  mode: UndoMode;
}

export interface UndoTargetRow {
  seq: number;
  table_name: string;
  mode: UndoMode;
  key_columns: string[];
  moved_tables: string[];
  /** Participant target: years whose partition the batch created. */
  created_partitions: number[];
}

/** One key of the preview: what a merge replaced and added in one school × assessment (or school × year…). */
export interface PreviewEntry {
  table: string;
  schoolId: number | null;
  schoolName: string | null;
  assessmentId: number | null;
  assessment: string | null;
  year: number | null;
  replaced: number;
  added: number;
}

const PARTICIPANT_TARGET: UndoTarget = { table: 'participant_result', keyColumns: ['year', 'school_id', 'assessment_id'], mode: 'partitioned' };

/** Name of the table participant rows of a batch and year are moved aside into. */
export function movedTableName(batchId: number, year: number): string {
  return `import_undo_${Number(batchId)}_${Number(year)}`;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `t.a is not distinct from k.a and …` over the key columns. */
export function keyMatch(columns: readonly string[], left: string, right: string): string {
  return columns.map((column) => `${left}.${ident(column)} is not distinct from ${right}.${ident(column)}`).join(' and ');
}

export class UndoLog {
  private readonly seqs = new Map<string, number>();
  private readonly pendingPartitions = new Set<number>();

  constructor(
    private readonly trx: Knex,
    readonly batchId: number,
  ) {}

  /** Registers the table (once per batch, in the order the merge writes) and returns its sequence number. */
  async target(target: UndoTarget): Promise<number> {
    const known = this.seqs.get(target.table);
    if (known !== undefined) return known;
    const seq = this.seqs.size + 1;
    await this.trx.raw(`insert into import_undo_target (batch_id, seq, table_name, mode, key_columns) values (?, ?, ?, ?, ?::text[])`, [
      this.batchId,
      seq,
      target.table,
      target.mode,
      arrayLiteral(target.keyColumns),
    ]);
    this.seqs.set(target.table, seq);
    if (target.table === PARTICIPANT_TARGET.table) for (const year of this.pendingPartitions) await this.createdPartition(year);
    return seq;
  }

  /**
   * Before a write: records the scope (`keysSql` selects exactly the key columns, one row per key) and keeps the
   * table's rows in it. Returns the number of rows kept.
   */
  async keep(target: UndoTarget, keysSql: string, bindings: readonly Knex.RawBinding[] = []): Promise<number> {
    if (target.mode === 'partitioned') {
      await this.keysOnly(target, keysSql, bindings);
      return 0;
    }
    await this.target(target);
    // Rows only of keys this batch had not recorded yet: a row it created (an assessment, recorded by keysOnly) must
    // not be kept in the state the merge gave it — its revert would write that back instead of removing it — and a
    // row kept once must not be kept twice.
    const table = ident(target.table);
    const result = await this.trx.raw(
      `with recorded as (
         insert into import_undo_key (batch_id, table_name, key)
         select ?, ?, to_jsonb(k) from (select distinct ${target.keyColumns.map(ident).join(', ')} from (${keysSql}) s) k
         on conflict do nothing
         returning key)
       insert into import_undo_row (batch_id, table_name, row)
       select ?, ?, to_jsonb(t) from ${table} t
       where exists (select 1 from (select (jsonb_populate_record(null::${table}, r.key)).* from recorded r) k where ${keyMatch(target.keyColumns, 't', 'k')})`,
      [this.batchId, target.table, ...bindings, this.batchId, target.table],
    );
    return result.rowCount ?? 0;
  }

  /** Records keys without keeping rows: rows the write just added (or, for participant rows, kept apart). */
  async keysOnly(target: UndoTarget, keysSql: string, bindings: readonly Knex.RawBinding[] = []): Promise<void> {
    await this.target(target);
    const columns = target.keyColumns.map(ident).join(', ');
    await this.trx.raw(
      `insert into import_undo_key (batch_id, table_name, key)
       select ?, ?, to_jsonb(k) from (select distinct ${columns} from (${keysSql}) s) k
       on conflict do nothing`,
      [this.batchId, target.table, ...bindings],
    );
  }

  /**
   * The batch created the year's participant partition (none existed): its revert drops it again when it is left
   * empty. Noted on the participant target, registered here only if the merge already wrote participant rows, so
   * that the targets keep the order the merge writes them in (an assessment created for the rows before the rows).
   */
  async createdPartition(year: number): Promise<void> {
    if (!this.seqs.has(PARTICIPANT_TARGET.table)) {
      this.pendingPartitions.add(year);
      return;
    }
    await this.trx.raw(
      `update import_undo_target set created_partitions = array_append(created_partitions, ?) where batch_id = ? and table_name = ? and not (? = any(created_partitions))`,
      [year, this.batchId, PARTICIPANT_TARGET.table, year],
    );
  }

  /** Participant rows of the scope were moved aside into `table` (a detached partition, or deleted rows). */
  async movedAside(table: string): Promise<void> {
    await this.target(PARTICIPANT_TARGET);
    await this.trx.raw(
      `update import_undo_target set moved_tables = array_append(moved_tables, ?) where batch_id = ? and table_name = ? and not (? = any(moved_tables))`,
      [table, this.batchId, PARTICIPANT_TARGET.table, table],
    );
  }

  /** Copies the keys of another batch's table into this log (a revert replaces exactly the scope it restores). */
  async copyKeys(from: number, target: UndoTarget): Promise<void> {
    await this.target(target);
    await this.trx.raw(
      `insert into import_undo_key (batch_id, table_name, key) select ?, table_name, key from import_undo_key where batch_id = ? and table_name = ? on conflict do nothing`,
      [this.batchId, from, target.table],
    );
  }

  /** Keeps the rows of `target` in the scope recorded under `keysOf` (this batch by default). */
  async keepRowsOfKeys(target: UndoTarget, keysOf: number): Promise<number> {
    const table = ident(target.table);
    const result = await this.trx.raw(
      `insert into import_undo_row (batch_id, table_name, row)
       select ?, ?, to_jsonb(t) from ${table} t
       where exists (select 1 from (select (jsonb_populate_record(null::${table}, k.key)).* from import_undo_key k where k.batch_id = ? and k.table_name = ?) k
                     where ${keyMatch(target.keyColumns, 't', 'k')})`,
      [this.batchId, target.table, keysOf, target.table],
    );
    return result.rowCount ?? 0;
  }

  /**
   * What the merge replaced and added per key, read inside the merge's transaction (before it is rolled back, for
   * a dry run). Keys naming a school, an assessment or a year are described for the reader.
   */
  async preview(): Promise<PreviewEntry[]> {
    const targets = await targetsOf(this.trx, this.batchId);
    const entries: PreviewEntry[] = [];
    for (const target of targets) {
      const table = ident(target.table_name);
      const k = `(select key, (jsonb_populate_record(null::${table}, key)).* from import_undo_key where batch_id = ${Number(this.batchId)} and table_name = '${target.table_name}')`;
      const replacedSql =
        target.mode === 'partitioned'
          ? target.moved_tables.length === 0
            ? '0'
            : target.moved_tables.map((moved) => `(select count(*) from ${ident(moved)} m where ${keyMatch(target.key_columns, 'm', 'k')})`).join(' + ')
          : `(select count(*) from import_undo_row r where r.batch_id = ${Number(this.batchId)} and r.table_name = '${target.table_name}' and r.row @> k.key)`;
      const { rows } = await this.trx.raw(
        `select k.key, (${replacedSql})::int as replaced,
           (select count(*) from ${table} t where ${keyMatch(target.key_columns, 't', 'k')})::int as added
         from ${k} k`,
      );
      for (const row of rows as { key: Record<string, unknown>; replaced: number; added: number }[]) {
        entries.push({
          table: target.table_name,
          schoolId: typeof row.key.school_id === 'number' ? row.key.school_id : target.table_name === 'school' && typeof row.key.id === 'number' ? row.key.id : null,
          schoolName: null,
          assessmentId: typeof row.key.assessment_id === 'number' ? row.key.assessment_id : target.table_name === 'assessment' && typeof row.key.id === 'number' ? row.key.id : null,
          assessment: null,
          year: typeof row.key.year === 'number' ? row.key.year : null,
          replaced: row.replaced,
          // Update mode: a key with a kept row was changed, not added.
          added: target.mode === 'update' ? (row.replaced > 0 ? 0 : row.added) : row.added,
        });
      }
    }
    await describe(this.trx, entries);
    return entries;
  }
}

export async function targetsOf(knex: Knex, batchId: number): Promise<UndoTargetRow[]> {
  const { rows } = await knex.raw(`select seq, table_name, mode, key_columns, moved_tables, created_partitions from import_undo_target where batch_id = ? order by seq`, [batchId]);
  return rows;
}

/** Fills in school names and assessment labels. */
async function describe(knex: Knex, entries: PreviewEntry[]): Promise<void> {
  const schoolIds = [...new Set(entries.map((e) => e.schoolId).filter((id): id is number => id !== null))];
  const assessmentIds = [...new Set(entries.map((e) => e.assessmentId).filter((id): id is number => id !== null))];
  const schools = new Map<number, string>();
  const assessments = new Map<number, string>();
  if (schoolIds.length > 0) {
    const { rows } = await knex.raw(`select id, name from school where id in (${schoolIds.map(Number).join(',')})`);
    for (const row of rows as { id: number; name: string }[]) schools.set(row.id, row.name);
  }
  if (assessmentIds.length > 0) {
    const { rows } = await knex.raw(
      `select a.id, a.procedure::text || ' ' || a.year || ' ' || s.name || ' ' || a.grade || ' класс' as label
       from assessment a join subject s on s.id = a.subject_id where a.id in (${assessmentIds.map(Number).join(',')})`,
    );
    for (const row of rows as { id: number; label: string }[]) assessments.set(row.id, row.label);
  }
  for (const entry of entries) {
    if (entry.schoolId !== null) entry.schoolName = schools.get(entry.schoolId) ?? null;
    if (entry.assessmentId !== null) entry.assessment = assessments.get(entry.assessmentId) ?? null;
  }
  entries.sort((a, b) => (a.schoolName ?? '').localeCompare(b.schoolName ?? '') || (a.assessment ?? '').localeCompare(b.assessment ?? '') || a.table.localeCompare(b.table));
}

/** The tables imports write, keyed by the scope each replaces. */
export const UNDO_TARGETS = {
  participantResult: PARTICIPANT_TARGET,
  schoolResult: { table: 'school_result', keyColumns: ['school_id', 'assessment_id'], mode: 'rows' },
  schoolExamTotal: { table: 'school_exam_total', keyColumns: ['school_id', 'year', 'procedure'], mode: 'rows' },
  schoolContext: { table: 'school_context', keyColumns: ['school_id', 'year'], mode: 'rows' },
  conductConditions: { table: 'conduct_conditions', keyColumns: ['school_id', 'year', 'procedure'], mode: 'rows' },
  recheckResult: { table: 'recheck_result', keyColumns: ['school_id', 'assessment_id'], mode: 'rows' },
  benchmarkResult: { table: 'benchmark_result', keyColumns: ['assessment_id', 'level', 'region_id', 'municipality_id'], mode: 'rows' },
  benchmarkExamTotal: { table: 'benchmark_exam_total', keyColumns: ['year', 'procedure', 'level', 'region_id', 'municipality_id'], mode: 'rows' },
  assessment: { table: 'assessment', keyColumns: ['id'], mode: 'update' },
  provisionalScale: { table: 'provisional_scale', keyColumns: ['assessment_id', 'region_id'], mode: 'rows' },
  region: { table: 'region', keyColumns: ['id'], mode: 'update' },
  municipality: { table: 'municipality', keyColumns: ['id'], mode: 'update' },
  school: { table: 'school', keyColumns: ['id'], mode: 'update' },
  schoolAlias: { table: 'school_alias', keyColumns: ['school_id'], mode: 'rows' },
} as const satisfies Record<string, UndoTarget>;
