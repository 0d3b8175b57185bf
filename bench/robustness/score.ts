/**
 * Scoring of stored zones against the ground truth, per school-year (the unit everywhere), as issue «A second
 * model to judge the risk methodology by» defines it:
 * - recall = planted school-years with ≥ 20 participants in every ВПР, manipulated at medium or strong strength,
 *   whose objectivity zone is RISK or HIGH_RISK;
 * - clean_fpr = clean school-years (schools with nothing planted in any year; school-years with results) at RISK or
 *   above; watch_share = the same at WATCH or above (objectivity zone);
 * - insufficient_share = school-years with ≥ 20 participants in every ВПР whose objectivity zone is
 *   INSUFFICIENT_DATA (methodology v1 has no such zone state, so it reads 0 there by construction);
 * - precision at the planted share of 15 %: π·TPR / (π·TPR + (1 − π)·FPR) with π = 0.15, TPR = all planted
 *   school-years (every strength and size) at RISK or above and FPR = clean_fpr — the precision a region where
 *   15 % of school-years were manipulated would see, whatever the mix of one- and three-year plants here;
 * - the project's own school-level rule (src/risk/detection/detection-score.ts) beside them.
 * Years of a planted school outside its planted years are neither planted nor clean: they are left out.
 */
import { scoreDetection, type DetectionScore, type PlantedSchool, type SchoolRiskRecord } from '../../src/risk/detection/detection-score';
import { ZoneLevel } from '../../src/risk/markers';
import type { Manifest } from './files';
import { KINDS, STRENGTHS, type SizeBand } from './model';
import type { ZoneRow } from './pipeline';

const PLANTED_SHARE_FOR_PRECISION = 0.15;
const BANDS: SizeBand[] = ['<20', '20-39', '40-79', '80+'];
const GROUPS = ['tiny', 'weak ordinary', 'middle ordinary', 'strong ordinary', 'selective', 'improving', 'declining', 'changed'];
const AT_LEAST_RISK = new Set(['RISK', 'HIGH_RISK']);
const AT_LEAST_WATCH = new Set(['WATCH', 'RISK', 'HIGH_RISK']);
const NOT_KNOWN = new Set(['INSUFFICIENT_DATA', 'NO_DATA']);

interface Rate {
  n: number;
  hits: number;
}
const rate = (r: Rate) => (r.n === 0 ? NaN : r.hits / r.n);

export interface RobustnessScore {
  /** Medium boundary raising: school-years with ≥ 20 per ВПР found at RISK+; tiny schools' three-year series found. */
  bunching: Rate;
  bunchingTiny: Rate;
  recall: number;
  cleanFpr: number;
  watchShare: number;
  insufficientShare: number;
  precision: number;
  /** Observed school-year precision in this region (planted share of school-years as simulated). */
  observedPrecision: number;
  plantedTpr: Rate;
  keyRecall: Rate;
  clean: Rate;
  cleanWatch: Rate;
  /** kind → strength → band. */
  recallCells: Record<string, Record<string, Record<string, Rate>>>;
  fprByGroup: Record<string, { risk: Rate; watch: Rate }>;
  /** School-years without any results, and what their objectivity zone said. */
  noData: { n: number; zones: Record<string, number> };
  /** School-years whose zone is INSUFFICIENT_DATA or NO_DATA, of all school-years. */
  notKnownShare: number;
  /** School-years with results where not one direct-evidence objectivity check could be judged (all INSUFFICIENT_DATA). */
  nothingJudged: { all: Rate; atLeast20: Rate };
  schoolLevel: DetectionScore;
}

export function scoreRegion(manifest: Manifest, zones: ZoneRow[], schoolIdByLogin: Map<string, number>): RobustnessScore {
  const zoneOf = new Map(zones.map((z) => [`${z.login}|${z.year}`, z]));
  const plantOf = new Map(manifest.planted.map((p) => [p.login, p]));
  const newRate = (): Rate => ({ n: 0, hits: 0 });
  const recallCells: RobustnessScore['recallCells'] = {};
  for (const kind of KINDS) {
    recallCells[kind] = {};
    for (const strength of Object.keys(STRENGTHS)) recallCells[kind][strength] = Object.fromEntries(BANDS.map((b) => [b, newRate()]));
  }
  const fprByGroup: RobustnessScore['fprByGroup'] = Object.fromEntries(GROUPS.map((g) => [g, { risk: newRate(), watch: newRate() }]));
  const plantedTpr = newRate();
  const keyRecall = newRate();
  const clean = newRate();
  const cleanWatch = newRate();
  const sufficient = newRate();
  const notKnown = newRate();
  const noData = { n: 0, zones: {} as Record<string, number> };
  const nothingJudged = { all: newRate(), atLeast20: newRate() };

  for (const school of manifest.schools) {
    const plant = plantOf.get(school.login);
    for (const year of manifest.years) {
      const zone = zoneOf.get(`${school.login}|${year}`);
      const objectivity = zone?.objectivity ?? 'ABSENT';
      const counts = manifest.participants[`${school.login}|${year}`];
      const hasData = counts !== undefined && counts.length > 0;
      const min = hasData ? Math.min(...counts) : 0;
      const atLeast20 = hasData && min >= 20;
      const risk = AT_LEAST_RISK.has(objectivity);
      notKnown.n++;
      if (NOT_KNOWN.has(objectivity)) notKnown.hits++;
      if (!hasData) {
        noData.n++;
        noData.zones[objectivity] = (noData.zones[objectivity] ?? 0) + 1;
      } else {
        nothingJudged.all.n++;
        if ((zone?.judged ?? 0) === 0) nothingJudged.all.hits++;
        if (atLeast20) {
          nothingJudged.atLeast20.n++;
          if ((zone?.judged ?? 0) === 0) nothingJudged.atLeast20.hits++;
          sufficient.n++;
          if (objectivity === 'INSUFFICIENT_DATA') sufficient.hits++;
        }
      }
      if (plant && plant.years.includes(year)) {
        if (!hasData) continue;
        plantedTpr.n++;
        if (risk) plantedTpr.hits++;
        const band: SizeBand = min < 20 ? '<20' : min < 40 ? '20-39' : min < 80 ? '40-79' : '80+';
        const cell = recallCells[plant.kind][plant.strength][band];
        cell.n++;
        if (risk) cell.hits++;
        if (atLeast20 && plant.strength !== 'weak') {
          keyRecall.n++;
          if (risk) keyRecall.hits++;
        }
      } else if (!plant && hasData) {
        clean.n++;
        cleanWatch.n++;
        if (risk) clean.hits++;
        if (AT_LEAST_WATCH.has(objectivity)) cleanWatch.hits++;
        const group = fprByGroup[school.group];
        group.risk.n++;
        group.watch.n++;
        if (risk) group.risk.hits++;
        if (AT_LEAST_WATCH.has(objectivity)) group.watch.hits++;
      }
    }
  }

  // Issue «Bunching»: medium boundary raising found in school-years with ≥ 20 per ВПР; tiny schools' three-year series
  // found when at least one of their years is at RISK or above.
  const bunching = newRate();
  const bunchingTiny = newRate();
  for (const plant of manifest.planted) {
    if (plant.kind !== 'BOUNDARY_RAISE' || plant.strength !== 'medium') continue;
    const school = manifest.schools.find((x) => x.login === plant.login)!;
    const found = (year: number) => AT_LEAST_RISK.has(zoneOf.get(`${plant.login}|${year}`)?.objectivity ?? '');
    for (const year of plant.years) {
      const counts = manifest.participants[`${plant.login}|${year}`];
      if (!counts?.length || Math.min(...counts) < 20) continue;
      bunching.n++;
      if (found(year)) bunching.hits++;
    }
    if (school.tiny && plant.years.length === manifest.years.length) {
      bunchingTiny.n++;
      if (plant.years.some(found)) bunchingTiny.hits++;
    }
  }

  const π = PLANTED_SHARE_FOR_PRECISION;
  const tpr = rate(plantedTpr);
  const fpr = rate(clean);
  const precision = π * tpr + (1 - π) * fpr === 0 ? 1 : (π * tpr) / (π * tpr + (1 - π) * fpr);
  const observedFlagged = plantedTpr.hits + clean.hits;

  const records: SchoolRiskRecord[] = [];
  const byId = new Map<number, SchoolRiskRecord>();
  for (const z of zones) {
    const record = byId.get(z.schoolId) ?? { schoolId: z.schoolId, years: [] };
    record.years.push({ year: z.year, objectivity: z.objectivity as ZoneLevel, lowResults: z.lowResults as ZoneLevel, markers: z.markers });
    if (!byId.has(z.schoolId)) {
      byId.set(z.schoolId, record);
      records.push(record);
    }
  }
  const planted: PlantedSchool[] = manifest.planted
    .filter((p) => schoolIdByLogin.has(p.login))
    .map((p) => ({ schoolId: schoolIdByLogin.get(p.login)!, kinds: [{ kind: p.kind, years: p.years }] }));

  return {
    bunching,
    bunchingTiny,
    recall: rate(keyRecall),
    cleanFpr: fpr,
    watchShare: rate(cleanWatch),
    insufficientShare: sufficient.n === 0 ? 0 : rate(sufficient),
    precision,
    observedPrecision: observedFlagged === 0 ? 1 : plantedTpr.hits / observedFlagged,
    plantedTpr,
    keyRecall,
    clean,
    cleanWatch,
    recallCells,
    fprByGroup,
    noData,
    notKnownShare: rate(notKnown),
    nothingJudged,
    schoolLevel: scoreDetection(records, planted),
  };
}

const pct = (r: Rate) => (r.n === 0 ? '—' : `${Math.round((100 * r.hits) / r.n)} % (${r.hits}/${r.n})`);
const fixed = (x: number, d = 3) => (Number.isNaN(x) ? 'n/a' : x.toFixed(d));

/** The per-region table: recall by kind × strength × size band, FPR by clean group, the rest in lines. */
export function formatScore(label: string, s: RobustnessScore): string[] {
  const out: string[] = [];
  out.push(`### ${label}`);
  out.push('');
  out.push(`| recall (RISK+) by kind × strength | ${BANDS.map((b) => `${b} participants`).join(' | ')} |`);
  out.push(`|---|${BANDS.map(() => '---').join('|')}|`);
  for (const kind of KINDS) {
    for (const strength of Object.keys(STRENGTHS)) {
      out.push(`| ${kind} ${strength} | ${BANDS.map((b) => pct(s.recallCells[kind][strength][b])).join(' | ')} |`);
    }
  }
  out.push('');
  out.push('| clean group | RISK+ | WATCH+ |');
  out.push('|---|---|---|');
  for (const [group, r] of Object.entries(s.fprByGroup)) out.push(`| ${group} | ${pct(r.risk)} | ${pct(r.watch)} |`);
  out.push('');
  out.push(
    `recall=${fixed(s.recall)} (${s.keyRecall.hits}/${s.keyRecall.n}) all-planted TPR=${fixed(rate(s.plantedTpr))} clean_fpr=${fixed(s.cleanFpr)} (${s.clean.hits}/${s.clean.n}) ` +
      `watch_share=${fixed(s.watchShare)} precision@15%=${fixed(s.precision)} observed precision=${fixed(s.observedPrecision)} insufficient_share=${fixed(s.insufficientShare)}`,
  );
  out.push(
    `no-data school-years: ${s.noData.n} (objectivity zone given: ${JSON.stringify(s.noData.zones)}); INSUFFICIENT_DATA/NO_DATA zones: ${fixed(s.notKnownShare)} of all school-years; ` +
      `nothing judged (every direct objectivity check INSUFFICIENT_DATA): ${pct(s.nothingJudged.all)} of school-years with results, ${pct(s.nothingJudged.atLeast20)} of those with ≥ 20 per ВПР`,
  );
  const d = s.schoolLevel;
  out.push(`school level (project rule): precision=${fixed(d.precision)} recall=${fixed(d.recall)} clean_fpr=${fixed(d.cleanFalsePositiveRate)} (planted ${d.planted}, found ${d.found}, flagged ${d.flagged}, false alarms ${d.flaggedClean}/${d.clean})`);
  return out;
}

/** Recall cells and clean-group rates summed over the sweep's regions (cells of one region are small). */
export function formatPooled(scores: RobustnessScore[]): string[] {
  const sum = (rates: Rate[]): Rate => rates.reduce((a, r) => ({ n: a.n + r.n, hits: a.hits + r.hits }), { n: 0, hits: 0 });
  const out: string[] = [];
  out.push(`| recall (RISK+), pooled over ${scores.length} regions | ${BANDS.map((b) => `${b} participants`).join(' | ')} | all sizes |`);
  out.push(`|---|${BANDS.map(() => '---').join('|')}|---|`);
  for (const kind of KINDS) {
    for (const strength of Object.keys(STRENGTHS)) {
      const cells = BANDS.map((b) => sum(scores.map((s) => s.recallCells[kind][strength][b])));
      out.push(`| ${kind} ${strength} | ${cells.map(pct).join(' | ')} | ${pct(sum(cells))} |`);
    }
  }
  out.push('');
  out.push(`| clean group, pooled over ${scores.length} regions | RISK+ | WATCH+ |`);
  out.push('|---|---|---|');
  for (const group of GROUPS) out.push(`| ${group} | ${pct(sum(scores.map((s) => s.fprByGroup[group].risk)))} | ${pct(sum(scores.map((s) => s.fprByGroup[group].watch)))} |`);
  return out;
}
