export type GroupKeyValue = string | number | boolean | null;

export interface AggregateInputRow {
  keys: Readonly<Record<string, GroupKeyValue>>;
  schoolId: string;
  participants: number;
  count2?: number | null;
  count3?: number | null;
  count4?: number | null;
  count5?: number | null;
  meanPercent?: number | null;
  meanTestScore?: number | null;
  journalLowered?: number | null;
  journalConfirmed?: number | null;
  journalRaised?: number | null;
  belowMinimum?: number | null;
  /** ЕГЭ: participants with a test score ≥ 80 (school_result.count_test_80). */
  countTest80?: number | null;
}

export interface GroupAggregate {
  keys: Record<string, GroupKeyValue>;
  /** Distinct schools in the group. */
  schools: number;
  /** Input rows in the group (a school may contribute several, e.g. per subject). */
  rows: number;
  /** Sum of participants over rows (participations, not distinct pupils). */
  participants: number;
  /** Participant-weighted mean over rows that have it; null when none. */
  meanPercent: number | null;
  meanTestScore: number | null;
  /** Pupils with a mark (the base of the mark shares). */
  marked: number;
  share2: number | null;
  share3: number | null;
  share4: number | null;
  share5: number | null;
  share45: number | null;
  /** Pupils with both a ВПР and a journal mark (the base of the agreement share). */
  journalCompared: number;
  journalAgreementShare: number | null;
  belowMinimum: number;
  /** belowMinimum over participants of the rows that report it. */
  belowMinimumShare: number | null;
  /** ЕГЭ: participants with ≥ 80 test points, and their share among participants of the rows that report it. */
  countTest80: number;
  shareTest80: number | null;
}

/** A school's totals over a procedure in a year (school_exam_total); null — not stated. */
export interface ExamTotalInputRow {
  keys: Readonly<Record<string, GroupKeyValue>>;
  schoolId: string;
  participants: number | null;
  countSum3_220: number | null;
}

export interface ExamTotalGroup {
  keys: Record<string, GroupKeyValue>;
  schools: number;
  rows: number;
  /** Graduates who sat the procedure, over the rows that state them. */
  participants: number;
  /** ЕГЭ: graduates with ≥ 220 test points over three subjects, and their share, over the rows that state both. */
  countSum3_220: number;
  shareSum3_220: number | null;
}

/**
 * Participant-weighted aggregates per group for BI (municipality × year × subject, size band…).
 *
 * Every metric is pooled over pupils, not averaged over schools: meanPercent = Σ nᵢ·mᵢ / Σ nᵢ over
 * the rows that have it, share2 = Σ count2 / Σ marked pupils, and so on; this is what «the
 * municipality's result» means in ФИС ОКО tables, and a class of 5 does not weigh as much as a year
 * group of 150. Each metric keeps its own base (rows lacking a metric do not dilute it), and the
 * bases are returned so that a BI tool can re-aggregate groups correctly.
 */
export function aggregateByGroup(rows: readonly AggregateInputRow[], groupBy: readonly string[]): GroupAggregate[] {
  for (const row of rows) if (!(row.participants >= 0)) throw new RangeError(`participants must be ≥ 0, got ${row.participants}`);
  return summariseByGroup(rows, groupBy, summarise);
}

/**
 * Schools' totals over a procedure (school_exam_total: graduates who sat it, those with ≥ 220 test points over three
 * ЕГЭ subjects) per group, pooled like the results: the share is Σ count / Σ graduates over the rows that state both,
 * and both sums are returned for re-aggregation.
 */
export function examTotalsByGroup(rows: readonly ExamTotalInputRow[], groupBy: readonly string[]): ExamTotalGroup[] {
  return summariseByGroup(rows, groupBy, (keys, group) => {
    const stated = group.filter((r) => r.participants != null && r.countSum3_220 != null);
    const base = sum(stated.map((r) => r.participants ?? 0));
    const countSum3_220 = sum(stated.map((r) => r.countSum3_220 ?? 0));
    return {
      keys,
      schools: new Set(group.map((r) => r.schoolId)).size,
      rows: group.length,
      participants: sum(group.map((r) => r.participants ?? 0)),
      countSum3_220,
      shareSum3_220: base > 0 ? countSum3_220 / base : null,
    };
  });
}

/** Rows grouped by their keys in `groupBy`, each group summarised, the groups ordered by their keys. */
function summariseByGroup<Row extends { keys: Readonly<Record<string, GroupKeyValue>> }, Summary extends { keys: Record<string, GroupKeyValue> }>(
  rows: readonly Row[],
  groupBy: readonly string[],
  summariseGroup: (keys: Record<string, GroupKeyValue>, rows: readonly Row[]) => Summary,
): Summary[] {
  const groups = new Map<string, { keys: Record<string, GroupKeyValue>; rows: Row[] }>();
  for (const row of rows) {
    const keys = Object.fromEntries(groupBy.map((name) => [name, row.keys[name] ?? null])) as Record<string, GroupKeyValue>;
    const id = JSON.stringify(groupBy.map((name) => keys[name]));
    const group = groups.get(id) ?? { keys, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return [...groups.values()].map((g) => summariseGroup(g.keys, g.rows)).sort((a, b) => compareKeys(a.keys, b.keys, groupBy));
}

function summarise(keys: Record<string, GroupKeyValue>, rows: readonly AggregateInputRow[]): GroupAggregate {
  const marks = rows.filter((r) => r.count2 != null && r.count3 != null && r.count4 != null && r.count5 != null);
  const counts = [0, 1, 2, 3].map((k) => sum(marks.map((r) => [r.count2, r.count3, r.count4, r.count5][k] ?? 0)));
  const marked = sum(counts);
  const journal = rows.filter((r) => r.journalLowered != null && r.journalConfirmed != null && r.journalRaised != null);
  const journalCompared = sum(journal.map((r) => (r.journalLowered ?? 0) + (r.journalConfirmed ?? 0) + (r.journalRaised ?? 0)));
  const belowRows = rows.filter((r) => r.belowMinimum != null);
  const belowMinimum = sum(belowRows.map((r) => r.belowMinimum ?? 0));
  const belowBase = sum(belowRows.map((r) => r.participants));
  const share = (part: number, base: number): number | null => (base > 0 ? part / base : null);
  const test80Rows = rows.filter((r) => r.countTest80 != null);
  const countTest80 = sum(test80Rows.map((r) => r.countTest80 ?? 0));
  return {
    keys,
    schools: new Set(rows.map((r) => r.schoolId)).size,
    rows: rows.length,
    participants: sum(rows.map((r) => r.participants)),
    meanPercent: participantWeightedMean(rows, (r) => r.meanPercent),
    meanTestScore: participantWeightedMean(rows, (r) => r.meanTestScore),
    marked,
    share2: share(counts[0], marked),
    share3: share(counts[1], marked),
    share4: share(counts[2], marked),
    share5: share(counts[3], marked),
    share45: share(counts[2] + counts[3], marked),
    journalCompared,
    journalAgreementShare: share(sum(journal.map((r) => r.journalConfirmed ?? 0)), journalCompared),
    belowMinimum,
    belowMinimumShare: share(belowMinimum, belowBase),
    countTest80,
    shareTest80: share(countTest80, sum(test80Rows.map((r) => r.participants))),
  };
}

/** Σ nᵢ·mᵢ / Σ nᵢ over rows with a finite value and participants; null when there are none. */
function participantWeightedMean(rows: readonly AggregateInputRow[], value: (row: AggregateInputRow) => number | null | undefined): number | null {
  let weighted = 0;
  let base = 0;
  for (const row of rows) {
    const v = value(row);
    if (v == null || !Number.isFinite(v) || !(row.participants > 0)) continue;
    weighted += row.participants * v;
    base += row.participants;
  }
  return base > 0 ? weighted / base : null;
}

/** Groups ordered by their keys in `groupBy` order; nulls last so that «unknown» trails. */
function compareKeys(a: Record<string, GroupKeyValue>, b: Record<string, GroupKeyValue>, groupBy: readonly string[]): number {
  for (const name of groupBy) {
    const x = a[name];
    const y = b[name];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
