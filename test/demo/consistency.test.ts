import { generateDemoRegion, markForScore, type ParticipantResult } from '../../src/demo';
import { assessmentsByKey } from './helpers';

const region = generateDemoRegion();
const assessments = assessmentsByKey(region);
const rows = [...region.participantResults()];

const PARTICIPANT_FIELDS = [
  'schoolId', 'assessmentKey', 'participantCode', 'classLabel', 'variant', 'taskScores', 'primaryScore', 'mark', 'journalMark', 'testScore', 'criteria',
];

describe('demo participant results are internally consistent', () => {
  it('has a realistic number of rows for 60 schools', () => {
    expect(region.schools).toHaveLength(60);
    expect(rows.length).toBeGreaterThan(50_000);
    expect(rows.length).toBeLessThan(150_000);
  });

  it('sums task scores into the primary score and keeps every score within its task maximum', () => {
    // Plain checks in the loop: ~90,000 rows × expect() would dominate the test's run time.
    let checked = 0;
    for (const row of rows) {
      const { tasks, maxPrimary } = assessments.get(row.assessmentKey)!.scale;
      if (row.taskScores.length !== tasks.length) throw new Error(`${row.taskScores.length} task scores in ${row.participantCode}`);
      let sum = 0;
      for (let index = 0; index < tasks.length; index++) {
        const score = row.taskScores[index];
        if (score === null) continue;
        if (!Number.isInteger(score) || score < 0 || score > tasks[index].maxPoints) throw new Error(`bad score ${score} in ${row.participantCode}`);
        sum += score;
      }
      if (sum !== row.primaryScore || row.primaryScore > maxPrimary) throw new Error(`primary ${row.primaryScore} ≠ ${sum} in ${row.participantCode}`);
      checked++;
    }
    expect(checked).toBe(rows.length);
  });

  it('gives marks from the scale (boundaries and ОГЭ requirements), test scores for ЕГЭ only, journal marks for ВПР only', () => {
    for (const row of rows) {
      const assessment = assessments.get(row.assessmentKey)!;
      const isEge = assessment.procedure === 'EGE';
      const expectedMark = isEge ? null : markForScore(assessment.scale, row.primaryScore, row.taskScores);
      const expectedTest = isEge ? assessment.scale.testScale![row.primaryScore] : null;
      if (row.mark !== expectedMark || row.testScore !== expectedTest) throw new Error(`inconsistent mark/test score in ${row.assessmentKey} ${row.participantCode}`);
      if (assessment.procedure !== 'VPR' && row.journalMark !== null) throw new Error(`journal mark outside ВПР in ${row.assessmentKey}`);
    }
    const vpr = rows.filter((row) => row.assessmentKey.startsWith('VPR'));
    const withJournal = vpr.filter((row) => row.journalMark !== null).length / vpr.length;
    expect(withJournal).toBeGreaterThan(0.97);
    expect(withJournal).toBeLessThan(1); // «нет отметки» occurs
  });

  it('shows «not done» (null) apart from zero, more often on hard tasks than on easy ones', () => {
    const counts = { Б: { nulls: 0, all: 0 }, В: { nulls: 0, all: 0 } };
    let zeros = 0;
    for (const row of rows) {
      const tasks = assessments.get(row.assessmentKey)!.scale.tasks;
      row.taskScores.forEach((score, index) => {
        if (score === 0) zeros++;
        const level = tasks[index].level;
        if (level === 'П') return;
        counts[level].all++;
        if (score === null) counts[level].nulls++;
      });
    }
    expect(zeros).toBeGreaterThan(1000);
    expect(counts.Б.nulls).toBeGreaterThan(0);
    expect(counts.В.nulls / counts.В.all).toBeGreaterThan(3 * (counts.Б.nulls / counts.Б.all));
  });

  it('keeps ОГЭ Russian literacy criteria equal to the ГК task scores, and a «4» needs at least 4 of them', () => {
    const oge = rows.filter((row) => row.assessmentKey.startsWith('OGE') && row.assessmentKey.includes('-RUS-'));
    expect(oge.length).toBeGreaterThan(1000);
    const tasks = assessments.get(oge[0].assessmentKey)!.scale.tasks;
    const literacyIndex = ['ГК1', 'ГК2', 'ГК3', 'ГК4'].map((name) => tasks.findIndex((t) => t.number === name));
    let heldBackByLiteracy = 0;
    for (const row of oge) {
      const criteria = row.criteria!;
      if (Object.keys(criteria).join() !== 'ГК1,ГК2,ГК3,ГК4') throw new Error(`criteria ${Object.keys(criteria)}`);
      if (literacyIndex.some((index, c) => row.taskScores[index] !== Object.values(criteria)[c])) throw new Error(`criteria ≠ tasks in ${row.participantCode}`);
      const literacy = Object.values(criteria).reduce((a, b) => a + b, 0);
      if (row.mark! >= 4 && literacy < 4) throw new Error(`«4» with literacy ${literacy}`);
      if (row.primaryScore >= 23 && row.mark === 3) heldBackByLiteracy++;
    }
    expect(heldBackByLiteracy).toBeGreaterThan(0); // the requirement really bites sometimes
    expect(rows.filter((row) => !row.assessmentKey.startsWith('OGE-') || !row.assessmentKey.includes('-RUS-')).some((row) => row.criteria)).toBe(false);
  });

  it('carries no personal data: only contract fields, anonymised codes unique per assessment', () => {
    const codes = new Set<string>();
    for (const row of rows) {
      for (const field of Object.keys(row)) if (!PARTICIPANT_FIELDS.includes(field)) throw new Error(`unexpected field ${field}`);
      if (!/^(VPR|OGE|EGE)\d{2}-\d{4}-\d{4}$/.test(row.participantCode)) throw new Error(`code ${row.participantCode}`);
      const key = `${row.assessmentKey}|${row.participantCode}`;
      if (codes.has(key)) throw new Error(`duplicate ${key}`);
      codes.add(key);
    }
    const nameLike = /name|fio|фио|фамил|имя|surname|patronymic|birth/i;
    const allKeys = new Set(rows.slice(0, 5000).flatMap((row) => [...Object.keys(row), ...Object.keys(row.criteria ?? {})]));
    for (const key of allKeys) expect(key).not.toMatch(nameLike);
  });

  it('gives one student the same code in Russian and Maths of the same procedure and year', () => {
    const codesIn = (key: string) => new Set(rows.filter((row) => row.assessmentKey === key).map((row) => row.participantCode));
    const russian = codesIn('VPR-2024-RUS-6');
    const maths = codesIn('VPR-2024-MATH-6');
    const shared = [...russian].filter((code) => maths.has(code)).length;
    expect(shared / russian.size).toBeGreaterThan(0.8); // absences on one of the days explain the rest
  });

  it('uses realistic class sizes: rural НОШ 1–12 per grade, big urban grades 50+', () => {
    const perGrade = new Map<string, number>();
    for (const row of rows) if (row.assessmentKey.startsWith('VPR-2024-RUS-4')) perGrade.set(row.schoolId, (perGrade.get(row.schoolId) ?? 0) + 1);
    const nosh = region.schools.filter((s) => s.type === 'NOSH').map((s) => perGrade.get(s.id) ?? 0);
    expect(nosh.length).toBeGreaterThan(0);
    for (const n of nosh) expect(n).toBeLessThanOrEqual(12);
    expect(Math.max(...perGrade.values())).toBeGreaterThanOrEqual(50);
  });
});

describe('demo schools, contexts and side tables', () => {
  it('has the intended school mix with the three alias kinds', () => {
    const types = new Set(region.schools.map((s) => s.type));
    expect([...types].sort()).toEqual(['GYMNASIUM', 'LYCEUM', 'NOSH', 'OOSH', 'SOSH']);
    expect(region.municipalities).toHaveLength(3);
    for (const school of region.schools) {
      expect(school.aliases.map((a) => a.kind)).toEqual(['FISOKO_LOGIN', 'RCOI_CODE', 'INN']);
      const [login, rcoi, inn] = school.aliases.map((a) => a.value);
      expect(login).toMatch(/^sch99\d{4}$/);
      expect(rcoi).toMatch(/^99-\d{4}$/);
      expect(inn).toMatch(/^\d{10}$/);
      const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
      expect(Number(inn[9])).toBe((weights.reduce((s, w, i) => s + w * Number(inn[i]), 0) % 11) % 10);
    }
    for (const kind of ['FISOKO_LOGIN', 'INN'] as const) {
      const values = region.schools.map((s) => s.aliases.find((a) => a.kind === kind)!.value);
      expect(new Set(values).size).toBe(values.length);
    }
    expect(region.schools.filter((s) => s.type === 'LYCEUM' || s.type === 'GYMNASIUM').every((s) => s.inDepthStudy && s.urban)).toBe(true);
  });

  it('has one context per school and year whose enrolment covers the participants', () => {
    expect(region.contexts).toHaveLength(region.schools.length * region.years.length);
    const participants = new Map<string, number>();
    for (const row of rows) {
      if (!row.assessmentKey.includes('-RUS-')) continue;
      const key = `${row.schoolId}|${row.assessmentKey.split('-')[1]}`;
      participants.set(key, (participants.get(key) ?? 0) + 1);
    }
    for (const context of region.contexts) {
      expect(context.enrolment).toBeGreaterThanOrEqual(participants.get(`${context.schoolId}|${context.year}`) ?? 0);
      expect(context.socialIndex).toBeGreaterThanOrEqual(0);
      expect(context.socialIndex).toBeLessThanOrEqual(1);
      expect(context.shareDisabled).toBeLessThanOrEqual(1);
    }
    const small = region.contexts.filter((c) => c.smallSchool);
    expect(small.length).toBeGreaterThan(0);
    expect(Math.max(...small.map((c) => c.enrolment))).toBeLessThan(150);
  });

  it('re-checks real works: codes, original scores and marks match the participant rows', () => {
    expect(region.rechecks.length).toBeGreaterThan(50);
    const byCode = new Map<string, ParticipantResult>(rows.map((row) => [`${row.assessmentKey}|${row.participantCode}`, row]));
    for (const recheck of region.rechecks) {
      const row = byCode.get(`${recheck.assessmentKey}|${recheck.participantCode}`)!;
      expect(row.schoolId).toBe(recheck.schoolId);
      expect(recheck.originalScore).toBe(row.primaryScore);
      expect(recheck.originalMark).toBe(row.mark);
      expect(recheck.recheckMark).toBe(markForScore(assessments.get(recheck.assessmentKey)!.scale, recheck.recheckScore));
    }
  });

  it('computes region benchmarks from the generated rows, with Russia close to the region', () => {
    const key = 'VPR-2024-MATH-5';
    const own = rows.filter((row) => row.assessmentKey === key);
    const regionRow = region.benchmarks.find((b) => b.assessmentKey === key && b.level === 'REGION')!;
    const russia = region.benchmarks.find((b) => b.assessmentKey === key && b.level === 'RUSSIA')!;
    const municipal = region.benchmarks.filter((b) => b.assessmentKey === key && b.level === 'MUNICIPALITY');
    expect(regionRow.participants).toBe(own.length);
    expect(municipal.reduce((s, b) => s + b.participants, 0)).toBe(own.length);
    expect(regionRow.markShares![2]).toBeCloseTo(own.filter((r) => r.mark === 2).length / own.length, 3);
    expect(Math.abs(regionRow.meanPercentOfMax - russia.meanPercentOfMax)).toBeLessThan(6);
    expect(russia.participants).toBeGreaterThan(1_000_000);
    const ege = region.benchmarks.find((b) => b.assessmentKey === 'EGE-2024-RUS-11' && b.level === 'REGION')!;
    expect(ege.markShares).toBeNull();
    expect(ege.belowMinimumShare).not.toBeNull();
    expect(ege.meanTestScore).toBeGreaterThan(40);
  });

  it('has conduct conditions per school, year and procedure the school takes part in', () => {
    const ids = new Set(region.conductConditions.map((c) => `${c.schoolId}|${c.year}|${c.procedure}`));
    expect(ids.size).toBe(region.conductConditions.length);
    for (const row of rows.filter((_, i) => i % 97 === 0)) {
      const [procedure, year] = row.assessmentKey.split('-');
      expect(ids.has(`${row.schoolId}|${year}|${procedure}`)).toBe(true);
    }
    expect(region.conductConditions.filter((c) => c.procedure !== 'VPR').every((c) => c.videoAtConduct && !c.federalControlSample)).toBe(true);
  });
});
