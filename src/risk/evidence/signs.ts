import { Procedure } from '../../assessments/enums';
import type { AssessmentInfo, ResultSummary } from '../recompute/risk-dataset';
import type { RegionResults } from '../recompute/region-results';
import { fitOverdispersedNull, overdispersedZ, type OverdispersedNull } from '../stats/overdispersed-null';

/**
 * The direct signs of non-objective results (methodology v2), each measured as an effect with its sampling
 * variance for every school of the region and judged against the distribution of *schools* (an overdispersed
 * null, stats/overdispersed-null.ts), never against the pooled share of pupils: a difference usual between
 * honest schools is never evidence, however large the school.
 *
 * - BUNCHING (per assessment with a primary-score histogram and mark boundaries — ВПР, ОГЭ, ГВЭ, ЕГЭ primary):
 *   works on the first two scores the scale produces at or above each boundary, against those plus the two
 *   produced just below, compared with the rest of the region's share there; schools of a similar overall result
 *   (the covariate) are the reference line. Works raised to a boundary move from below the window's middle to
 *   above it.
 * - JOURNAL (per school-year, ВПР): the share «повысили» (ВПР mark above the journal mark). Grading style is a
 *   trait: the school's share in its other years is taken out, and only the departure from it is evidence; a
 *   school with no other year is judged on its share against honest schools' spread of styles.
 * - BALANCE (per school-year, ВПР): the share «понизили» (school marks above ВПР) in the same way — a finding on
 *   the balance of the school's own assessment system, not evidence about ВПР.
 * - TASKS (per assessment with task levels): completion of advanced and high tasks against what the school's basic
 *   tasks predict across the region (leaked answers lift the hard tasks alone).
 * - JUMP (per school-year, ВПР): the school's result against its own results in the same subject and grade in
 *   other years, pooled over its subjects and grades.
 * - CONFIRMATION (per first assessment of a pair — ВПР 4 → ВПР 5 of the same cohort a year later, ВПР 8 → ОГЭ a
 *   year later, ВПР 11 → ЕГЭ): the school's standing on the first against its standing on the second, less the
 *   school's own drift between other years (an honest school in decline drops with every cohort).
 * Positive effects point at non-objectivity. Each sign's honest spread (τ², κ) is estimated per assessment or
 * year from the region's schools.
 */
export type SignCode = 'BUNCHING' | 'JOURNAL' | 'TASKS' | 'JUMP' | 'CONFIRMATION' | 'BALANCE';

/** Signs that are evidence about the objectivity of results; BALANCE (school marks above ВПР) is a finding of its own. */
export const OBJECTIVITY_SIGNS: readonly SignCode[] = ['BUNCHING', 'JOURNAL', 'TASKS', 'JUMP', 'CONFIRMATION'];

/**
 * Whether a sign's value compares the school with other schools or with a procedure the school does not check
 * itself (ОГЭ, ЕГЭ — not next year's ВПР, which its own teachers check again), rather than with its own other
 * years: only such values can show a manipulation repeated in every year, and a school's series of years is judged
 * on them alone.
 */
export function comparesBeyondTheSchool(value: SignValue): boolean {
  if (value.sign === 'BUNCHING' || value.sign === 'TASKS') return true;
  return value.sign === 'CONFIRMATION' && value.detail.checkedOutside === 1;
}

export interface SignValue {
  sign: SignCode;
  schoolId: number;
  year: number;
  /** The assessment judged; null for signs pooled over the school-year (JOURNAL, JUMP). */
  assessmentId: number | null;
  effect: number;
  variance: number;
  /** Standardised departure from honest schools like it; null when the region is too small to say. */
  z: number | null;
  /** Numbers for the explanation (works, shares, the reference). */
  detail: Record<string, number>;
}

export interface SignOptions {
  /** Fewest participants (works) in an assessment for it to be measured at all. */
  minParticipants: number;
  /** Width of the windows on each side of a boundary, in produced scores. */
  windowWidth: number;
}

const DEFAULT_SIGN_OPTIONS: SignOptions = { minParticipants: 5, windowWidth: 2 };

const HARD_LEVELS = new Set(['ADVANCED', 'HIGH']);
const FALLBACK_SD = 0.2;
/** Pupils' SD of the share of max in a result; floored, since a handful of equal scores is no proof of none. */
const pupilSd = (r: ResultSummary) => (r.sdPercent === null ? FALLBACK_SD : Math.max(r.sdPercent / 100, 0.05));

interface Candidate extends Omit<SignValue, 'z'> {
  covariate: number;
  /** What the null is fitted over: one assessment, or one year's school-years. */
  family: string;
}

/** Every sign for every school of the region in `years` (the rest of the snapshot's years serve as the school's own past and future). */
export function measureSigns(region: RegionResults, years: readonly number[], options: SignOptions = DEFAULT_SIGN_OPTIONS): SignValue[] {
  const yearSet = new Set(years);
  const candidates: Candidate[] = [];
  const byAssessment = new Map<number, ResultSummary[]>();
  for (const r of region.results) (byAssessment.get(r.assessmentId) ?? byAssessment.set(r.assessmentId, []).get(r.assessmentId)!).push(r);
  for (const [assessmentId, rows] of byAssessment) {
    const a = region.assessments.get(assessmentId);
    if (!a || !yearSet.has(a.year)) continue;
    candidates.push(...bunching(a, rows, options));
    if (a.procedure === Procedure.VPR) candidates.push(...tasks(a, rows, options));
  }
  candidates.push(...journal(region, yearSet, options));
  candidates.push(...jump(region, yearSet, options));
  candidates.push(...confirmation(region, byAssessment, yearSet, options));
  return judge(withPeerGroups(region, candidates));
}

/** Fewest schools of each kind in a family for selective schools to be compared with selective schools only. */
const MIN_PEER_SCHOOLS = 24;

/**
 * Selective schools (lyceums, gymnasiums, in-depth study) are compared with selective schools where the region has
 * enough of them: their pupils are chosen, and the profile of their works is not the ordinary schools' line drawn
 * further.
 */
function withPeerGroups(region: RegionResults, candidates: Candidate[]): Candidate[] {
  const selective = (c: Candidate) => region.schools.get(c.schoolId)?.inDepthByYear.get(c.year) ?? false;
  const counts = new Map<string, [number, number]>();
  for (const c of candidates) {
    const n = counts.get(c.family) ?? counts.set(c.family, [0, 0]).get(c.family)!;
    n[selective(c) ? 1 : 0]++;
  }
  return candidates.map((c) => {
    const [ordinary, chosen] = counts.get(c.family)!;
    return ordinary >= MIN_PEER_SCHOOLS && chosen >= MIN_PEER_SCHOOLS ? { ...c, family: `${c.family}:${selective(c) ? 'selective' : 'ordinary'}` } : c;
  });
}

/** Fits the overdispersed null per family and standardises each value against it. */
function judge(candidates: Candidate[]): SignValue[] {
  const families = new Map<string, Candidate[]>();
  for (const c of candidates) (families.get(c.family) ?? families.set(c.family, []).get(c.family)!).push(c);
  const out: SignValue[] = [];
  for (const members of families.values()) {
    const fit: OverdispersedNull | null = fitOverdispersedNull(
      members.map((m) => m.effect),
      members.map((m) => m.variance),
      members.map((m) => m.covariate),
    );
    for (const { covariate, family, ...value } of members) {
      const z = fit ? overdispersedZ(fit, value.effect, value.variance, covariate) : null;
      out.push({ ...value, z: z === null || !Number.isFinite(z) ? null : z, detail: { ...value.detail, ...(fit ? { tau: Math.sqrt(fit.tau2), kappa: fit.kappa } : {}) } });
    }
  }
  return out;
}

/** Scores the region produces (some scales jump by more than one point): the windows follow them. */
function producedScores(rows: readonly ResultSummary[], length: number): number[] {
  const seen = new Array<boolean>(length).fill(false);
  for (const r of rows) r.histogram?.forEach((count, score) => count > 0 && (seen[score] = true));
  return seen.flatMap((s, score) => (s ? [score] : []));
}

function bunching(a: AssessmentInfo, rows: readonly ResultSummary[], o: SignOptions): Candidate[] {
  if (!a.maxPrimary || !a.boundaries?.length) return [];
  const length = a.maxPrimary + 1;
  const valid = rows.filter((r) => r.histogram && r.histogram.length === length);
  if (valid.length === 0) return [];
  const produced = producedScores(valid, length);
  const bounds = [0, ...a.boundaries, length];
  const windows: { above: number[]; below: number[] }[] = [];
  // Disjoint windows: where boundaries are close, a boundary's scores below start after the previous one's above.
  let taken = -1;
  for (let k = 1; k < bounds.length - 1; k++) {
    const b = bounds[k];
    const above = produced.filter((s) => s >= b && s < bounds[k + 1]).slice(0, o.windowWidth);
    const below = produced.filter((s) => s < b && s >= bounds[k - 1] && s > taken).slice(-o.windowWidth);
    if (above.length > 0 && below.length > 0) {
      windows.push({ above, below });
      taken = above[above.length - 1];
    }
  }
  if (windows.length === 0) return [];
  const region = windows.map(() => ({ above: 0, total: 0 }));
  const counts = valid.map((r) =>
    windows.map((w, i) => {
      const above = w.above.reduce((sum, s) => sum + r.histogram![s], 0);
      const total = above + w.below.reduce((sum, s) => sum + r.histogram![s], 0);
      region[i].above += above;
      region[i].total += total;
      return { above, total };
    }),
  );
  const out: Candidate[] = [];
  valid.forEach((r, k) => {
    const participants = r.histogram!.reduce((s, c) => s + c, 0);
    if (participants < o.minParticipants) return;
    let excess = 0;
    let variance = 0;
    let inWindows = 0;
    let above = 0;
    let expected = 0;
    counts[k].forEach((c, i) => {
      // The rest of the region: the school's own works are not its reference.
      const restTotal = region[i].total - c.total;
      if (restTotal <= 0 || c.total === 0) return;
      const share = Math.min(1 - 1e-3, Math.max(1e-3, (region[i].above - c.above) / restTotal));
      excess += c.above - share * c.total;
      variance += share * (1 - share) * c.total;
      inWindows += c.total;
      above += c.above;
      expected += share * c.total;
    });
    if (inWindows === 0) return;
    out.push({
      sign: 'BUNCHING', schoolId: r.schoolId, year: a.year, assessmentId: a.id, family: `B:${a.id}`,
      effect: excess / participants, variance: Math.max(variance, 0.25) / (participants * participants),
      covariate: r.meanPercent === null ? 0.5 : r.meanPercent / 100,
      detail: { participants, inWindows, above, expected },
    });
  });
  return out;
}

function tasks(a: AssessmentInfo, rows: readonly ResultSummary[], o: SignOptions): Candidate[] {
  const hard = a.tasks.map((t, i) => (HARD_LEVELS.has(t.level) ? i : -1)).filter((i) => i >= 0);
  const basic = a.tasks.map((t, i) => (HARD_LEVELS.has(t.level) ? -1 : i)).filter((i) => i >= 0);
  if (hard.length === 0 || basic.length === 0) return [];
  const maxOf = (ids: number[]) => ids.reduce((s, i) => s + a.tasks[i].maxPoints, 0);
  const hardMax = maxOf(hard);
  const basicMax = maxOf(basic);
  const out: Candidate[] = [];
  for (const r of rows) {
    if (!r.taskCompletion || r.taskCompletion.length !== a.tasks.length || r.participants < o.minParticipants) continue;
    const completion = (ids: number[], max: number) => ids.reduce((s, i) => s + r.taskCompletion![i] * a.tasks[i].maxPoints, 0) / max;
    const n = r.participants;
    // Half a point's worth kept off 0 and 1: a school where nobody solved a task still has a finite logit.
    const clamp = (p: number, points: number) => Math.min(1 - 0.5 / points, Math.max(0.5 / points, p));
    const h = clamp(completion(hard, hardMax), n * hardMax);
    const g = clamp(completion(basic, basicMax), n * basicMax);
    out.push({
      sign: 'TASKS', schoolId: r.schoolId, year: a.year, assessmentId: a.id, family: `T:${a.id}`,
      effect: logit(h), variance: 1 / (n * hardMax * h * (1 - h)) + 1 / (n * basicMax * g * (1 - g)),
      covariate: logit(g),
      detail: { participants: n, hardCompletion: h, basicCompletion: g },
    });
  }
  return out;
}

function journal(region: RegionResults, years: ReadonlySet<number>, o: SignOptions): Candidate[] {
  const out: Candidate[] = [];
  for (const [schoolId, rows] of region.resultsBySchool) {
    const byYear = new Map<number, Comparison>();
    for (const r of rows) {
      const a = region.assessments.get(r.assessmentId);
      if (!a || a.procedure !== Procedure.VPR || !r.journal) continue;
      const [lowered, confirmed, raised] = r.journal;
      const y = byYear.get(r.year) ?? byYear.set(r.year, { raised: 0, lowered: 0, n: 0 }).get(r.year)!;
      y.raised += raised;
      y.lowered += lowered;
      y.n += lowered + confirmed + raised;
    }
    for (const [year, y] of byYear) {
      if (!years.has(year) || y.n < o.minParticipants) continue;
      const others = [...byYear].filter(([other, c]) => other !== year && c.n >= o.minParticipants).map(([, c]) => c);
      const style = others.length > 0 ? others.reduce((s, c) => ({ raised: s.raised + c.raised, lowered: s.lowered + c.lowered, n: s.n + c.n }), { raised: 0, lowered: 0, n: 0 }) : null;
      const detail = { pupils: y.n, raised: y.raised, lowered: y.lowered, raisedShare: y.raised / y.n, loweredShare: y.lowered / y.n, otherYears: others.length };
      const styleDetail: Record<string, number> = style ? { styleRaisedShare: style.raised / style.n, styleLoweredShare: style.lowered / style.n } : {};
      // «Повысили» against the school's own usual share: a strict school has many every year, that is its style.
      for (const [sign, count, styleCount] of [['JOURNAL', y.raised, style?.raised], ['BALANCE', y.lowered, style?.lowered]] as const) {
        const own = share(count, y.n);
        if (style && styleCount !== undefined) {
          const usual = share(styleCount, style.n);
          out.push({ sign, schoolId, year, assessmentId: null, family: `${sign}:${year}:departure`, effect: own.share - usual.share, variance: own.variance + usual.variance, covariate: 0, detail: { ...detail, ...styleDetail } });
        } else {
          out.push({ sign, schoolId, year, assessmentId: null, family: `${sign}:${year}:level`, effect: own.share, variance: own.variance, covariate: 0, detail });
        }
      }
    }
  }
  return out;
}

interface Comparison {
  raised: number;
  lowered: number;
  n: number;
}

/** A share of pupils and its binomial sampling variance (half a pupil kept off 0 and 1). */
function share(count: number, n: number): { share: number; variance: number } {
  const p = count / n;
  const kept = Math.min(1 - 0.5 / n, Math.max(0.5 / n, p));
  return { share: p, variance: (kept * (1 - kept)) / n };
}

function jump(region: RegionResults, years: ReadonlySet<number>, o: SignOptions): Candidate[] {
  const out: Candidate[] = [];
  for (const [schoolId, rows] of region.resultsBySchool) {
    const bySeries = new Map<string, { year: number; r: ResultSummary }[]>();
    for (const r of rows) {
      const a = region.assessments.get(r.assessmentId);
      if (!a || a.procedure !== Procedure.VPR || r.meanPercent === null || r.participants < o.minParticipants) continue;
      const key = `${a.subjectCode}|${a.grade}`;
      (bySeries.get(key) ?? bySeries.set(key, []).get(key)!).push({ year: r.year, r });
    }
    const byYear = new Map<number, { weight: number; sum: number; units: number }>();
    for (const series of bySeries.values()) {
      for (const { year, r } of series) {
        if (!years.has(year)) continue;
        const others = series.filter((s) => s.year !== year);
        if (others.length === 0) continue;
        const otherN = others.reduce((s, x) => s + x.r.participants, 0);
        const otherMean = others.reduce((s, x) => s + (x.r.meanPercent! / 100) * x.r.participants, 0) / otherN;
        const otherVar = others.reduce((s, x) => s + pupilSd(x.r) ** 2 * x.r.participants, 0) / otherN / otherN;
        const variance = pupilSd(r) ** 2 / r.participants + otherVar;
        const y = byYear.get(year) ?? byYear.set(year, { weight: 0, sum: 0, units: 0 }).get(year)!;
        y.weight += 1 / variance;
        y.sum += (r.meanPercent! / 100 - otherMean) / variance;
        y.units++;
      }
    }
    for (const [year, y] of byYear) {
      out.push({ sign: 'JUMP', schoolId, year, assessmentId: null, family: `U:${year}`, effect: y.sum / y.weight, variance: 1 / y.weight, covariate: 0, detail: { series: y.units } });
    }
  }
  return out;
}

/** [first procedure, first grade, second procedure, second grade, years later]. */
const PAIRS: [Procedure, number, Procedure, number, number][] = [
  [Procedure.VPR, 4, Procedure.VPR, 5, 1],
  [Procedure.VPR, 8, Procedure.OGE, 9, 1],
  [Procedure.VPR, 11, Procedure.EGE, 11, 0],
];

function confirmation(region: RegionResults, byAssessment: Map<number, ResultSummary[]>, years: ReadonlySet<number>, o: SignOptions): Candidate[] {
  const out: Candidate[] = [];
  const standing = standings(region, byAssessment, o);
  const find = (procedure: Procedure, subjects: string[], grade: number, year: number) =>
    [...region.assessments.values()].find((a) => a.procedure === procedure && subjects.includes(a.subjectCode) && a.grade === grade && a.year === year);
  for (const first of region.assessments.values()) {
    if (!years.has(first.year)) continue;
    for (const [p1, g1, p2, g2, later] of PAIRS) {
      if (first.procedure !== p1 || first.grade !== g1) continue;
      const subjects = p2 === Procedure.EGE && first.subjectCode === 'MATH' ? ['MATH_PROF', 'MATH_BASE'] : [first.subjectCode];
      const second = find(p2, subjects, g2, first.year + later);
      if (!second) continue;
      const firstStanding = standing.byAssessment.get(first.id);
      const secondStanding = standing.byAssessment.get(second.id);
      if (!firstStanding || !secondStanding) continue;
      for (const [schoolId, u1] of firstStanding) {
        const u2 = secondStanding.get(schoolId);
        if (!u2) continue;
        // The school's own drift between other years: an honest school in decline drops with every cohort.
        const drift = later > 0 ? schoolDrift(standing.bySchoolYear.get(schoolId), first.year, first.year + later) : null;
        const effect = u1.value - u2.value - (drift?.value ?? 0);
        out.push({
          sign: 'CONFIRMATION', schoolId, year: first.year, assessmentId: first.id, family: `C:${first.id}:${second.id}`,
          effect, variance: u1.variance + u2.variance + (drift?.variance ?? 0),
          covariate: u1.value,
          detail: {
            participants: u1.participants, secondParticipants: u2.participants, secondAssessmentId: second.id, firstStanding: u1.value, secondStanding: u2.value,
            checkedOutside: p2 === Procedure.VPR ? 0 : 1, ...(drift ? { drift: drift.value } : {}),
          },
        });
      }
    }
  }
  return out;
}

interface Standing {
  value: number;
  variance: number;
  participants: number;
}

/**
 * Each school's standing in each ВПР, ОГЭ and ЕГЭ among the region's schools: (level − median) / the spread between
 * schools (IQR / 1.349), with its sampling variance; and per school and year the mean standing over its
 * assessments.
 */
function standings(region: RegionResults, byAssessment: Map<number, ResultSummary[]>, o: SignOptions) {
  const result = new Map<number, Map<number, Standing>>();
  const bySchoolYear = new Map<number, Map<number, { sum: number; variance: number; n: number }>>();
  for (const [assessmentId, rows] of byAssessment) {
    const a = region.assessments.get(assessmentId);
    if (!a || (a.procedure !== Procedure.VPR && a.procedure !== Procedure.OGE && a.procedure !== Procedure.EGE)) continue;
    const level = (r: ResultSummary) => (a.procedure === Procedure.EGE ? (r.meanTestScore === null ? null : r.meanTestScore / 100) : r.meanPercent === null ? null : r.meanPercent / 100);
    const usable = rows.filter((r) => level(r) !== null && r.participants >= o.minParticipants);
    if (usable.length < 12) continue;
    const sorted = usable.map((r) => level(r)!).sort((x, y) => x - y);
    const centre = sorted[Math.floor(sorted.length / 2)];
    const spread = (sorted[Math.floor(sorted.length * 0.75)] - sorted[Math.floor(sorted.length * 0.25)]) / 1.349 || 1e-3;
    const map = new Map<number, Standing>();
    for (const r of usable) {
      const sd = pupilSd(r);
      const s = { value: (level(r)! - centre) / spread, variance: sd ** 2 / r.participants / spread ** 2, participants: r.participants };
      map.set(r.schoolId, s);
      if (a.procedure !== Procedure.VPR) continue;
      const years = bySchoolYear.get(r.schoolId) ?? bySchoolYear.set(r.schoolId, new Map()).get(r.schoolId)!;
      const y = years.get(a.year) ?? years.set(a.year, { sum: 0, variance: 0, n: 0 }).get(a.year)!;
      y.sum += s.value;
      y.variance += s.variance;
      y.n++;
    }
    result.set(assessmentId, map);
  }
  const means = new Map<number, Map<number, { value: number; variance: number }>>();
  for (const [schoolId, years] of bySchoolYear) {
    means.set(schoolId, new Map([...years].map(([year, y]) => [year, { value: y.sum / y.n, variance: y.variance / (y.n * y.n) }])));
  }
  return { byAssessment: result, bySchoolYear: means };
}

/**
 * The school's mean yearly drop in standing over consecutive years other than (from, to): its drift, which an
 * honest school shows in every cohort. Null when no other pair of consecutive years is known.
 */
function schoolDrift(years: Map<number, { value: number; variance: number }> | undefined, from: number, to: number): { value: number; variance: number } | null {
  if (!years) return null;
  const drops: { value: number; variance: number }[] = [];
  for (const [year, s] of years) {
    const next = years.get(year + 1);
    if (!next || (year === from && year + 1 === to)) continue;
    drops.push({ value: s.value - next.value, variance: s.variance + next.variance });
  }
  if (drops.length === 0) return null;
  return { value: drops.reduce((a, d) => a + d.value, 0) / drops.length, variance: drops.reduce((a, d) => a + d.variance, 0) / (drops.length * drops.length) };
}

const logit = (p: number) => Math.log(p / (1 - p));
