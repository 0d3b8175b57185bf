import { generateRegion, markForScore, type AssessmentScale } from '../../src/demo';

const region = generateRegion({ seed: 3, schools: 6, years: [2023, 2024, 2025] });
const scaleOf = (key: string): AssessmentScale => region.assessments.find((a) => a.key === key)!.scale;

describe('demo assessment scales', () => {
  it('lists ВПР 4–8, ОГЭ 9 and ЕГЭ 11 in Russian and Maths for every year', () => {
    expect(region.assessments).toHaveLength(14 * 3);
    expect(region.assessments.map((a) => a.key)).toEqual(expect.arrayContaining(['VPR-2023-RUS-4', 'VPR-2025-MATH-8', 'OGE-2024-RUS-9', 'EGE-2025-MATH_PROF-11']));
    for (const a of region.assessments) expect(a.session).toBe(a.procedure === 'VPR' ? 'spring' : 'main');
  });

  it('changes ВПР Russian grade 4 in 2025: max 38 → 24, different tasks and boundaries', () => {
    const before = scaleOf('VPR-2024-RUS-4');
    const after = scaleOf('VPR-2025-RUS-4');
    expect(scaleOf('VPR-2023-RUS-4')).toEqual(before);
    expect(before.maxPrimary).toBe(38);
    expect(after.maxPrimary).toBe(24);
    expect(after.version).not.toBe(before.version);
    expect(after.boundaries).not.toEqual(before.boundaries);
    expect(after.tasks.map((t) => t.number)).not.toEqual(before.tasks.map((t) => t.number));
    expect(scaleOf('VPR-2025-MATH-4')).toEqual(scaleOf('VPR-2024-MATH-4'));
  });

  it('keeps every scale coherent: max = sum of task maxima, boundaries rising within the max, both easy and hard tasks', () => {
    for (const { key, scale } of region.assessments) {
      expect(scale.tasks.reduce((s, t) => s + t.maxPoints, 0)).toBe(scale.maxPrimary);
      const { 3: three, 4: four, 5: five } = scale.boundaries;
      expect(0 < three && three < four && four < five && five <= scale.maxPrimary).toBe(true);
      expect(new Set(scale.tasks.map((t) => t.number)).size).toBe(scale.tasks.length);
      const levels = new Set(scale.tasks.map((t) => t.level));
      if (!levels.has('Б') || !(levels.has('П') || levels.has('В'))) throw new Error(`${key} lacks easy or hard tasks`);
    }
  });

  it('gives ЕГЭ a monotone test scale with the published minimums', () => {
    for (const [key, minimum] of [['EGE-2024-RUS-11', 24], ['EGE-2024-MATH_PROF-11', 27]] as const) {
      const scale = scaleOf(key);
      const test = scale.testScale!;
      expect(scale.egeMinimum).toBe(minimum);
      expect(test).toHaveLength(scale.maxPrimary + 1);
      expect(test[0]).toBe(0);
      expect(test[scale.maxPrimary]).toBe(100);
      for (let p = 1; p < test.length; p++) expect(test[p]).toBeGreaterThan(test[p - 1]);
      // «3» is the primary score of the minimum: one point less is below it.
      expect(test[scale.boundaries[3]]).toBeGreaterThanOrEqual(minimum);
      expect(test[scale.boundaries[3] - 1]).toBeLessThan(minimum);
    }
  });

  it('applies mark requirements: ОГЭ Russian literacy for «4»/«5», ОГЭ Maths geometry for «3»', () => {
    const russian = scaleOf('OGE-2024-RUS-9');
    const scores = (literacy: number, other: number) =>
      russian.tasks.map((t) => (t.number.startsWith('ГК') ? literacy : t.number === '9' ? other : 0));
    expect(markForScore(russian, 30, scores(2, 0))).toBe(5); // 4 × 2 = 8 literacy points
    expect(markForScore(russian, 30, scores(1, 0))).toBe(4); // 4 points: enough for «4», not for «5»
    expect(markForScore(russian, 30, scores(0, 0))).toBe(3);
    expect(() => markForScore(russian, 30)).toThrow();

    const maths = scaleOf('OGE-2024-MATH-9');
    const algebraOnly = maths.tasks.map((t) => (['15', '16', '17', '18', '19', '23', '24', '25'].includes(t.number) ? 0 : 1));
    const withGeometry = maths.tasks.map((t) => (t.number === '15' || t.number === '16' ? 1 : 0));
    expect(markForScore(maths, 10, algebraOnly)).toBe(2);
    expect(markForScore(maths, 10, withGeometry)).toBe(3);
  });

  it('gives marks by boundaries on ВПР scales', () => {
    const scale = scaleOf('VPR-2025-RUS-4');
    const { 3: three, 4: four, 5: five } = scale.boundaries;
    expect([three - 1, three, four - 1, four, five - 1, five, scale.maxPrimary].map((p) => markForScore(scale, p))).toEqual([2, 3, 3, 4, 4, 5, 5]);
  });

  it('hands each region its own copy of the scales', () => {
    const other = generateRegion({ seed: 4, schools: 3, years: [2024] });
    other.assessments[0].scale.tasks[0].maxPoints = 99;
    expect(scaleOf('VPR-2024-RUS-4').tasks[0].maxPoints).not.toBe(99);
  });
});
