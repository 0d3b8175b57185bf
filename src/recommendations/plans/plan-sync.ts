import type { Knex } from '@mikro-orm/postgresql';

/** A measure the rules want in a plan now (a school's or a municipality's). */
export interface DesiredMeasure {
  measureCode: string;
  section: string;
  titleRu: string;
  responsible: string[];
  dueDate: string;
  expectedResultRu: string;
  priority: number;
  ruleCodes: string[];
  reasons: unknown[];
  reasonRu: string;
  /** Municipal plans: the schools the measure covers. */
  schools: unknown[] | null;
}

export interface SyncOutcome {
  added: number;
  updated: number;
  retired: number;
  removed: number;
}

/** Someone has worked on the measure: it is never deleted by a recompute, only marked "no longer indicated". */
export const TOUCHED = `(status <> 'PLANNED' or evidence_doc_type is not null or evidence_doc_number is not null or control_conclusion is not null or updated_by <> 'system')`;
const PLAN_LOCK = 41_003;

/**
 * Brings a plan's automatic measures in line with what the rules recommend, without destroying human work:
 * new recommendations are added; kept ones get fresh reasons (and a fresh due date only while nobody has
 * touched them); ones no longer recommended are deleted if untouched, else kept and marked NO_LONGER_INDICATED.
 * Manual measures are never read or written here. Runs inside the caller's transaction, under a plan lock.
 */
export async function syncPlan(trx: Knex, planId: number, desired: DesiredMeasure[]): Promise<SyncOutcome> {
  await trx.raw('select pg_advisory_xact_lock(?, ?)', [PLAN_LOCK, planId]);
  const { rows: existing } = await trx.raw(`select id, measure_code, ${TOUCHED} as touched from planned_measure where plan_id = ? and origin = 'AUTO'`, [planId]);
  const byCode = new Map<string, { id: number; touched: boolean }>(existing.map((r: any) => [r.measure_code, { id: r.id, touched: r.touched }]));
  const outcome: SyncOutcome = { added: 0, updated: 0, retired: 0, removed: 0 };
  for (const m of desired) {
    const current = byCode.get(m.measureCode);
    if (current) {
      await trx.raw(
        `update planned_measure set indication = 'INDICATED', reasons = ?::jsonb, rule_codes = ?::text[], reason_ru = ?, priority = ?, schools = ?::jsonb,
           section = ?, title_ru = ?, expected_result_ru = ?,
           due_date = case when ${TOUCHED} then due_date else ?::date end,
           responsible = case when ${TOUCHED} then responsible else ?::text[] end
         where id = ?`,
        [JSON.stringify(m.reasons), m.ruleCodes, m.reasonRu, m.priority, m.schools ? JSON.stringify(m.schools) : null, m.section, m.titleRu, m.expectedResultRu, m.dueDate, m.responsible, current.id],
      );
      byCode.delete(m.measureCode);
      outcome.updated++;
    } else {
      await trx.raw(
        `insert into planned_measure (plan_id, measure_code, origin, section, title_ru, responsible, due_date, expected_result_ru, priority, reasons, rule_codes, reason_ru, schools)
         values (?, ?, 'AUTO', ?, ?, ?::text[], ?::date, ?, ?, ?::jsonb, ?::text[], ?, ?::jsonb)`,
        [planId, m.measureCode, m.section, m.titleRu, m.responsible, m.dueDate, m.expectedResultRu, m.priority, JSON.stringify(m.reasons), m.ruleCodes, m.reasonRu, m.schools ? JSON.stringify(m.schools) : null],
      );
      outcome.added++;
    }
  }
  for (const stale of byCode.values()) {
    if (stale.touched) {
      await trx.raw(`update planned_measure set indication = 'NO_LONGER_INDICATED' where id = ?`, [stale.id]);
      outcome.retired++;
    } else {
      await trx.raw(`delete from planned_measure where id = ?`, [stale.id]);
      outcome.removed++;
    }
  }
  await trx.raw(`update action_plan set recomputed_at = now() where id = ?`, [planId]);
  return outcome;
}

/** The plan of a school (or a municipality) for a year, created on first use. */
export async function planId(trx: Knex, owner: { schoolId: number } | { municipalityId: number }, year: number): Promise<number> {
  const column = 'schoolId' in owner ? 'school_id' : 'municipality_id';
  const ownerId = 'schoolId' in owner ? owner.schoolId : owner.municipalityId;
  const { rows } = await trx.raw(
    `insert into action_plan (${column}, year) values (?, ?) on conflict (${column}, year) where ${column} is not null do update set year = excluded.year returning id`,
    [ownerId, year],
  );
  return rows[0].id;
}
