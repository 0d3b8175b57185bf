import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoRegion, generateRegion, PLANTED_KINDS, plantedManifestJson, type Assessment, type ParticipantResult, type PlantedAnomaly } from '../../src/demo';
import { assessmentsByKey, cleanSchoolIds, failShare, levelPercent, meanPercentOfMax, rowsBySchoolAssessment, spearman } from './helpers';

const region = generateDemoRegion();
const assessments = assessmentsByKey(region);
const rows = [...region.participantResults()];
const blocks = rowsBySchoolAssessment(rows);
const clean = cleanSchoolIds(region);
const regionRows = new Map<string, ParticipantResult[]>();
for (const row of rows) (regionRows.get(row.assessmentKey) ?? regionRows.set(row.assessmentKey, []).get(row.assessmentKey)!).push(row);

const block = (schoolId: string, key: string) => blocks.get(`${schoolId}|${key}`) ?? [];
const assessment = (key: string): Assessment => assessments.get(key)!;
/** School mean % of max minus the region's, in percentage points. */
const gap = (schoolId: string, key: string) => meanPercentOfMax(block(schoolId, key), assessment(key)) - meanPercentOfMax(regionRows.get(key)!, assessment(key));
const plantedOf = (kind: string) => region.planted.filter((p) => p.kind === kind);
const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const keysOf = (anomaly: PlantedAnomaly, pattern: RegExp) => anomaly.assessmentKeys.filter((k) => pattern.test(k) && block(anomaly.schoolId, k).length > 0);

/** Works at a mark boundary relative to the linear trend of the two scores either side (1 = no bunching). */
function boundaryExcess(works: ParticipantResult[]): { atBoundary: number; excess: number } {
  const bins = new Map<number, number>();
  for (const row of works) {
    const { grade, scale } = assessment(row.assessmentKey);
    if (grade > 5) continue;
    for (const boundary of [scale.boundaries[3], scale.boundaries[4]]) {
      const offset = row.primaryScore - boundary;
      if (Math.abs(offset) <= 2) bins.set(offset, (bins.get(offset) ?? 0) + 1);
    }
  }
  const at = bins.get(0) ?? 0;
  const around = ((bins.get(-2) ?? 0) + (bins.get(-1) ?? 0) + (bins.get(1) ?? 0) + (bins.get(2) ?? 0)) / 4;
  return { atBoundary: at, excess: at / Math.max(around, 1) };
}

describe('planted anomalies of the demo region', () => {
  it('plants every kind at least once, on existing schools and assessments, in 1–2 kinds per school', () => {
    expect(new Set(region.planted.map((p) => p.kind))).toEqual(new Set(PLANTED_KINDS));
    const schoolIds = new Set(region.schools.map((s) => s.id));
    const perSchool = new Map<string, number>();
    for (const anomaly of region.planted) {
      expect(schoolIds.has(anomaly.schoolId)).toBe(true);
      for (const key of anomaly.assessmentKeys) expect(assessments.has(key)).toBe(true);
      for (const year of anomaly.years) expect(region.years).toContain(year);
      expect(anomaly.descriptionRu).toMatch(/[а-яё]{4,}/);
      perSchool.set(anomaly.schoolId, (perSchool.get(anomaly.schoolId) ?? 0) + 1);
    }
    expect(Math.max(...perSchool.values())).toBeLessThanOrEqual(2);
    expect(perSchool.size).toBe(Math.round(60 * 0.15));
  });

  it('matches the committed manifest test/fixtures/demo-planted.json (re-run src/demo/write-planted.ts after changing the generator)', () => {
    const committed = readFileSync(join(__dirname, '..', 'fixtures', 'demo-planted.json'), 'utf8');
    expect(committed).toBe(plantedManifestJson(region.planted));
  });

  it('plants every kind for other seeds too, and nothing at anomaly rate 0', () => {
    for (const seed of [1, 2, 3]) expect(new Set(generateRegion({ seed }).planted.map((p) => p.kind)).size).toBe(PLANTED_KINDS.length);
    expect(generateRegion({ seed: 1, anomalyRate: 0 }).planted).toEqual([]);
  });

  it('BOUNDARY_BUNCHING: works pile up exactly at the «3»/«4» boundaries', () => {
    for (const anomaly of plantedOf('BOUNDARY_BUNCHING')) {
      const { excess } = boundaryExcess(anomaly.assessmentKeys.flatMap((key) => block(anomaly.schoolId, key)));
      expect(excess).toBeGreaterThan(2.5);
    }
  });

  it('HIGH_NOT_CONFIRMED_OGE: ВПР 8 well above the region, the same students’ ОГЭ a year later is not', () => {
    for (const anomaly of plantedOf('HIGH_NOT_CONFIRMED_OGE')) {
      const vpr = average(keysOf(anomaly, /^VPR-/).map((k) => gap(anomaly.schoolId, k)));
      const oge = average(keysOf(anomaly, /^OGE-/).map((k) => gap(anomaly.schoolId, k)));
      expect(vpr).toBeGreaterThan(8);
      expect(vpr - oge).toBeGreaterThan(12);
    }
  });

  it('COHORT_DROP: the cohort high in ВПР 4 falls back in ВПР 5 a year later', () => {
    for (const anomaly of plantedOf('COHORT_DROP')) {
      const drops = keysOf(anomaly, /^VPR-\d+-\w+-5$/).map((fifth) => {
        const [, year, subject] = fifth.split('-');
        return gap(anomaly.schoolId, `VPR-${Number(year) - 1}-${subject}-4`) - gap(anomaly.schoolId, fifth);
      });
      expect(drops.length).toBeGreaterThan(0);
      expect(average(drops)).toBeGreaterThan(8);
    }
  });

  it('PERSISTENT_FAILS: ≥ 30 % «2» in two or more assessments in consecutive years, graduates below the minimum', () => {
    for (const anomaly of plantedOf('PERSISTENT_FAILS')) {
      const failingYears = region.years.filter(
        (year) => anomaly.assessmentKeys.filter((k) => k.includes(`-${year}-`) && block(anomaly.schoolId, k).length >= 5 && failShare(block(anomaly.schoolId, k), assessment(k)) >= 0.3).length >= 2,
      );
      expect(failingYears.some((year) => failingYears.includes(year + 1))).toBe(true);
      const gia = anomaly.assessmentKeys.filter((k) => /^(OGE|EGE)/.test(k)).flatMap((k) => block(anomaly.schoolId, k));
      expect(gia.some((row) => row.mark === 2 || (row.testScore !== null && row.testScore < assessment(row.assessmentKey).scale.egeMinimum!))).toBe(true);
    }
  });

  it('JOURNAL_INFLATED: most ВПР marks are above the journal marks («повысили»)', () => {
    const raisedShare = (works: ParticipantResult[]) => {
      const marked = works.filter((row) => row.journalMark !== null);
      return marked.filter((row) => row.mark! > row.journalMark!).length / marked.length;
    };
    for (const anomaly of plantedOf('JOURNAL_INFLATED')) {
      expect(raisedShare(anomaly.assessmentKeys.flatMap((k) => block(anomaly.schoolId, k)))).toBeGreaterThan(0.45);
    }
    expect(raisedShare(rows.filter((row) => clean.has(row.schoolId) && row.assessmentKey.startsWith('VPR')))).toBeLessThan(0.15);
  });

  it('TASK_INVERSION: easy tasks below the region, harder tasks well above it', () => {
    for (const anomaly of plantedOf('TASK_INVERSION')) {
      const easy: number[] = [];
      const hard: number[] = [];
      for (const key of keysOf(anomaly, /^VPR-/)) {
        const own = block(anomaly.schoolId, key);
        const all = regionRows.get(key)!;
        easy.push(levelPercent(own, assessment(key), 'Б') - levelPercent(all, assessment(key), 'Б'));
        hard.push(levelPercent(own, assessment(key), 'П') - levelPercent(all, assessment(key), 'П'));
      }
      expect(average(easy)).toBeLessThan(-3);
      expect(average(hard)).toBeGreaterThan(12);
    }
  });

  it('RECHECK_LOSS: re-checked works lose points and marks; clean schools’ works do not', () => {
    const loss = (schoolIds: Set<string>) => {
      const rechecks = region.rechecks.filter((r) => schoolIds.has(r.schoolId));
      return {
        works: rechecks.length,
        points: average(rechecks.map((r) => r.originalScore - r.recheckScore)),
        marks: rechecks.filter((r) => r.recheckMark < r.originalMark).length / rechecks.length,
      };
    };
    const planted = loss(new Set(plantedOf('RECHECK_LOSS').map((p) => p.schoolId)));
    const honest = loss(clean);
    expect(planted.works).toBeGreaterThan(20);
    expect(planted.points).toBeGreaterThan(1.5);
    expect(planted.marks).toBeGreaterThan(0.2);
    expect(honest.works).toBeGreaterThan(50);
    expect(Math.abs(honest.points)).toBeLessThan(0.3);
    expect(honest.marks).toBeLessThan(0.06);
  });

  it('runs distorting school-years with laxer conduct conditions and never in the federal sample', () => {
    const distortedYears = new Set(
      region.planted.filter((p) => p.kind !== 'PERSISTENT_FAILS').flatMap((p) => p.assessmentKeys.filter((k) => k.startsWith('VPR')).map((k) => `${p.schoolId}|${k.split('-')[1]}`)),
    );
    const vpr = region.conductConditions.filter((c) => c.procedure === 'VPR');
    const lax = vpr.filter((c) => distortedYears.has(`${c.schoolId}|${c.year}`));
    const honest = vpr.filter((c) => clean.has(c.schoolId));
    const noObservers = (list: typeof vpr) => list.filter((c) => c.observers === 'NONE').length / list.length;
    expect(lax.length).toBeGreaterThan(10);
    expect(noObservers(lax)).toBeGreaterThan(noObservers(honest) + 0.15);
    expect(lax.some((c) => c.federalControlSample)).toBe(false);
    expect(honest.some((c) => c.federalControlSample)).toBe(true);
  });
});

describe('clean schools of the demo region look clean', () => {
  it('have no peaks at mark boundaries', () => {
    const pooled = boundaryExcess(rows.filter((row) => clean.has(row.schoolId) && row.assessmentKey.startsWith('VPR')));
    expect(pooled.excess).toBeGreaterThan(0.85);
    expect(pooled.excess).toBeLessThan(1.15);
    for (const schoolId of clean) {
      const own = boundaryExcess(rows.filter((row) => row.schoolId === schoolId && row.assessmentKey.startsWith('VPR')));
      if (own.atBoundary >= 40) expect(own.excess).toBeLessThan(1.6);
    }
  });

  it('rank ВПР 8 and the next year’s ОГЭ alike (Spearman ≥ 0.75 in each subject and year)', () => {
    for (const year of region.years.slice(0, -1)) {
      for (const subject of ['RUS', 'MATH']) {
        const vpr: number[] = [];
        const oge: number[] = [];
        for (const schoolId of clean) {
          const eighth = block(schoolId, `VPR-${year}-${subject}-8`);
          const ninth = block(schoolId, `OGE-${year + 1}-${subject}-9`);
          if (eighth.length < 10 || ninth.length < 10) continue;
          vpr.push(meanPercentOfMax(eighth, assessment(eighth[0].assessmentKey)));
          oge.push(meanPercentOfMax(ninth, assessment(ninth[0].assessmentKey)));
        }
        expect(vpr.length).toBeGreaterThan(20);
        expect(spearman(vpr, oge)).toBeGreaterThan(0.75);
      }
    }
  });

  it('are never persistently failing as a whole: pooled share of «2» below 30 %', () => {
    for (const schoolId of clean) {
      const own = rows.filter((row) => row.schoolId === schoolId);
      const fails = own.filter((row) => failShare([row], assessment(row.assessmentKey)) === 1).length;
      expect(fails / own.length).toBeLessThan(0.3);
    }
  });
});
