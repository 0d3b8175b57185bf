import { failsRising } from '../../../src/risk/indicators/fails-rising';
import { giaBelowMinimum } from '../../../src/risk/indicators/gia-below-minimum';
import { lowResultsPersistent } from '../../../src/risk/indicators/low-results-persistent';
import { ProcedureFails } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { resolveThresholds } from '../../../src/risk/methodology/resolve-thresholds';

const T = DEFAULT_THRESHOLDS;
const proc = (subject: string, grade: number, now: [number, number], before: [number, number] | null): ProcedureFails => ({
  procedure: 'ВПР',
  subject,
  grade,
  current: { failCount: now[0], participants: now[1] },
  previous: before ? { failCount: before[0], participants: before[1] } : null,
});

describe('LOW_RESULTS_PERSISTENT', () => {
  it('fires with two low procedures this year, one of them low last year too', () => {
    const result = lowResultsPersistent(
      { procedures: [proc('русский язык', 5, [8, 24], [9, 25]), proc('математика', 5, [7, 22], [3, 25]), proc('математика', 6, [2, 20], null)] },
      T,
    );
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.LOW_RESULTS_PERSISTENT);
    expect(result.value).toBe(2);
    expect(result.explanationRu).toBe(
      'Доля отметок «2» не меньше 30% в 2 из 3 процедур: ВПР, русский язык, 5 класс — 33% (год назад 36%); ВПР, математика, 5 класс — 32%; в 1 из них — и в прошлом году: устойчиво низкие результаты.',
    );
  });

  it('does not fire with one low procedure, or two without a persistent one', () => {
    expect(lowResultsPersistent({ procedures: [proc('русский язык', 5, [8, 24], [9, 25]), proc('математика', 5, [2, 22], [3, 25])] }, T).status).toBe('CLEAR');
    const noRepeat = lowResultsPersistent({ procedures: [proc('русский язык', 5, [8, 24], [2, 25]), proc('математика', 5, [7, 22], [3, 25])] }, T);
    expect(noRepeat.status).toBe('CLEAR');
    expect(noRepeat.explanationRu).toContain('в 0 из них — и в прошлом году');
  });

  it('the strict reading (both procedures persistent) is a configuration away', () => {
    const strict = resolveThresholds({ lowResults: { minPersistentProcedures: 2 } });
    const input = { procedures: [proc('русский язык', 5, [8, 24], [9, 25]), proc('математика', 5, [7, 22], [3, 25])] };
    expect(lowResultsPersistent(input, T).status).toBe('FLAGGED');
    expect(lowResultsPersistent(input, strict).status).toBe('CLEAR');
  });

  it('ignores procedures with fewer than 5 participants', () => {
    const result = lowResultsPersistent({ procedures: [proc('русский язык', 5, [2, 4], [2, 4]), proc('математика', 5, [2, 4], [2, 4])] }, T);
    expect(result.status).toBe('INSUFFICIENT_DATA');
    expect(() => lowResultsPersistent({ procedures: [proc('математика', 5, [9, 4], null)] }, T)).toThrow(RangeError);
  });
});

describe('LOW_RESULTS_PERSISTENT with small-sample shrinkage', () => {
  const shrunk = (subject: string, grade: number, now: [number, number, number], before: [number, number, number] | null): ProcedureFails => ({
    procedure: 'ВПР',
    subject,
    grade,
    current: { failCount: now[0], participants: now[1], shrunkenFailShare: now[2] },
    previous: before ? { failCount: before[0], participants: before[1], shrunkenFailShare: before[2] } : null,
  });

  it('does not count classes whose 30% is the luck of one or two pupils, and says so', () => {
    const input = { procedures: [shrunk('русский язык', 5, [2, 6, 0.17], [2, 6, 0.16]), shrunk('математика', 6, [3, 9, 0.19], [1, 8, 0.12])] };
    const result = lowResultsPersistent(input, T);
    expect(result.status).toBe('CLEAR');
    expect(result.explanationRu).toContain('Ещё в 2 процедурах доля «2» не меньше 30% лишь по малой выборке: ВПР, русский язык, 5 класс — 33% (с поправкой на малую выборку 17%)');
    // The raw reading is a configuration away.
    expect(lowResultsPersistent(input, resolveThresholds({ lowResults: { shrinkFailShares: false } })).status).toBe('FLAGGED');
  });

  it('keeps a small school whose classes are all weak, and never raises a share above the observed one', () => {
    const weak = { procedures: [shrunk('русский язык', 5, [4, 8, 0.41], [3, 7, 0.38]), shrunk('математика', 5, [3, 8, 0.34], [3, 9, 0.33]), shrunk('русский язык', 6, [2, 9, 0.31], null)] };
    const result = lowResultsPersistent(weak, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.value).toBe(2);
    expect(result.explanationRu).toContain('ВПР, русский язык, 5 класс — 50% (с поправкой на малую выборку 41%; год назад 43%, с поправкой 38%)');
  });
});

describe('FAILS_RISING', () => {
  it('compares shrunken shares when given: one pupil in a class of 10 is not a rise', () => {
    const noisy: ProcedureFails = {
      procedure: 'ВПР', subject: 'математика', grade: 5,
      current: { failCount: 3, participants: 10, shrunkenFailShare: 0.16 },
      previous: { failCount: 1, participants: 10, shrunkenFailShare: 0.12 },
    };
    const result = failsRising({ procedures: [noisy] }, T);
    expect(result.status).toBe('CLEAR');
    expect(result.explanationRu).toContain('по фактическим данным с 10% до 30%');
    expect(failsRising({ procedures: [noisy] }, resolveThresholds({ lowResults: { shrinkFailShares: false } })).status).toBe('FLAGGED');
  });

  it('fires on a rise of at least 10 points and names the procedure', () => {
    const result = failsRising({ procedures: [proc('математика', 5, [9, 40], [4, 42]), proc('русский язык', 5, [3, 40], [3, 42])] }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.FAILS_RISING);
    expect(result.value).toBeCloseTo(9 / 40 - 4 / 42, 4);
    expect(result.explanationRu).toMatch(/^Наибольший рост доли «2»: ВПР, математика, 5 класс — с 10% до 23% \(\+13 п\.п\., порог \+10 п\.п\.\)/);
  });

  it('a 9-point rise is clear; procedures without last year are skipped', () => {
    const result = failsRising({ procedures: [proc('математика', 5, [7, 50], [5, 100]), proc('русский язык', 6, [20, 40], null)] }, T);
    expect(result.value).toBeCloseTo(0.09, 6);
    expect(result.status).toBe('CLEAR');
    expect(failsRising({ procedures: [proc('русский язык', 6, [20, 40], null)] }, T).status).toBe('INSUFFICIENT_DATA');
  });

  it('warns that one pupil moves a small class a lot', () => {
    const result = failsRising({ procedures: [proc('математика', 4, [4, 12], [1, 12])] }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.warnings.join(' ')).toContain('12 участников — один ученик меняет долю на +8 п.п.');
  });
});

describe('GIA_BELOW_MINIMUM', () => {
  it('fires on any graduate below the minimum in a compulsory subject', () => {
    const result = giaBelowMinimum(
      {
        results: [
          { procedure: 'ОГЭ', subject: 'математика', compulsory: true, participants: 40, belowMinimum: 2 },
          { procedure: 'ОГЭ', subject: 'русский язык', compulsory: true, participants: 40, belowMinimum: 0 },
          { procedure: 'ОГЭ', subject: 'физика', compulsory: false, participants: 8, belowMinimum: 3 },
        ],
      },
      T,
    );
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.GIA_BELOW_MINIMUM);
    expect(result.value).toBe(2);
    expect(result.explanationRu).toBe('Не преодолели минимальный порог 2 выпускника: ОГЭ, математика — 2 из 40.');
  });

  it('elective subjects do not count; no compulsory results is insufficient', () => {
    const result = giaBelowMinimum(
      {
        results: [
          { procedure: 'ЕГЭ', subject: 'русский язык', compulsory: true, participants: 20, belowMinimum: 0 },
          { procedure: 'ЕГЭ', subject: 'химия', compulsory: false, participants: 5, belowMinimum: 2 },
        ],
      },
      T,
    );
    expect(result.status).toBe('CLEAR');
    expect(result.value).toBe(0);
    expect(giaBelowMinimum({ results: [] }, T).status).toBe('INSUFFICIENT_DATA');
    expect(() => giaBelowMinimum({ results: [{ procedure: 'ГВЭ', subject: 'математика', compulsory: true, participants: 2, belowMinimum: 3 }] }, T)).toThrow(RangeError);
  });
});
