import { MarkerCode } from '../../src/risk/markers';
import { MEASURES_V1 } from '../../src/recommendations/catalogue/measures-v1';
import { dueDate } from '../../src/recommendations/rules/due-date';
import { recommendMeasures } from '../../src/recommendations/rules/recommend';
import { RULES_V1 } from '../../src/recommendations/rules/rules-v1';
import { marker, objectivityProfile } from './profiles';

describe('dueDate: a plan for results of year Y runs in the school year Sept Y – Aug Y+1', () => {
  it('puts a spring deadline in Y+1 and an autumn deadline in Y', () => {
    expect(dueDate({ kind: 'BEFORE_DATE', labelRu: 'до 15.03', month: 3, day: 15 }, 2024)).toBe('2025-03-15');
    expect(dueDate({ kind: 'BEFORE_DATE', labelRu: 'сентябрь–октябрь', month: 10, day: 31 }, 2024)).toBe('2024-10-31');
    expect(dueDate({ kind: 'BEFORE_DATE', labelRu: 'сентябрь', month: 9, day: 1 }, 2024)).toBe('2024-09-01');
    expect(dueDate({ kind: 'BEFORE_DATE', labelRu: 'август', month: 8, day: 31 }, 2024)).toBe('2025-08-31');
  });

  it('uses the default deadline of each period kind', () => {
    expect(dueDate({ kind: 'DURING_ASSESSMENT', labelRu: 'в дни проведения ВПР' }, 2024)).toBe('2025-05-31');
    expect(dueDate({ kind: 'SCHOOL_YEAR', labelRu: 'в течение учебного года' }, 2024)).toBe('2025-05-31');
    expect(dueDate({ kind: 'QUARTERLY', labelRu: '1 раз в четверть' }, 2024)).toBe('2024-10-31');
    expect(dueDate({ kind: 'AFTER_RESULTS', labelRu: 'по мере получения результатов' }, 2024)).toBe('2024-09-30');
  });

  it('lets an explicit month and day override a period kind', () => {
    expect(dueDate({ kind: 'DURING_ASSESSMENT', labelRu: 'апрель', month: 4, day: 20 }, 2024)).toBe('2025-04-20');
  });

  it('refuses a fixed deadline without a date', () => {
    expect(() => dueDate({ kind: 'BEFORE_DATE', labelRu: 'до …' }, 2024)).toThrow(/BEFORE_DATE/);
  });

  it('keeps every v1 measure inside the plan’s school year', () => {
    for (const measure of MEASURES_V1) {
      const due = dueDate(measure.timing, 2024);
      expect(due >= '2024-09-01' && due <= '2025-08-31').toBe(true);
    }
  });

  it('dates recommended measures from the catalogue timing and the profile year', () => {
    const recs = recommendMeasures(
      objectivityProfile([marker(MarkerCode.BOUNDARY_BUNCHING, { grade: 4 })], { year: 2023 }),
      RULES_V1,
      MEASURES_V1,
    );
    const due = Object.fromEntries(recs.map((r) => [r.measureCode, r.dueDate]));
    expect(due.COLLEGIAL_CHECKING).toBe('2024-02-15'); // «до 15.02» before the ВПР of spring 2024
    expect(due.VPR_SCHOOL_REGULATION).toBe('2024-03-01');
    expect(due.VIDEO_AT_CONDUCT).toBe('2024-05-31');
    expect(due.MUNICIPAL_RECHECK_RU_MATH_4_5).toBe('2024-06-01');
    expect(due.MANAGEMENT_INTERVIEW).toBe('2023-09-30');
    expect(recs.every((r) => r.planYear === 2023)).toBe(true);
  });
});
