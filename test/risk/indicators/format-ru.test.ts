import { capitaliseRu, formatNumberRu, formatPercentRu, formatPointsRu, formatPValueRu, markRu, pluralRu } from '../../../src/risk/indicators/format-ru';

describe('Russian number formatting', () => {
  it('uses a decimal comma and a minus sign', () => {
    expect(formatNumberRu(2.94, 1)).toBe('2,9');
    expect(formatNumberRu(-0.25, 2)).toBe('−0,25');
    expect(formatNumberRu(3.0, 2)).toBe('3');
    expect(formatNumberRu(3.0, 2, false)).toBe('3,00');
    expect(formatNumberRu(-0.01, 1)).toBe('0');
    expect(formatNumberRu(12345.6, 0)).toBe('12\u202f346');
    expect(formatNumberRu(1234, 0)).toBe('1234');
  });

  it('formats shares, points and p-values', () => {
    expect(formatPercentRu(0.784)).toBe('78%');
    expect(formatPercentRu(0.784, 1)).toBe('78,4%');
    expect(formatPointsRu(0.12)).toBe('+12 п.п.');
    expect(formatPointsRu(-0.081)).toBe('−8 п.п.');
    expect(formatPValueRu(0.0004)).toBe('p < 0,001');
    expect(formatPValueRu(0.0123)).toBe('p = 0,012');
    expect(formatPValueRu(0.0042)).toBe('p = 0,0042');
  });

  it('chooses Russian plural forms', () => {
    const forms = ['работа', 'работы', 'работ'] as const;
    expect([1, 2, 5, 11, 12, 21, 22, 25, 111].map((n) => pluralRu(n, forms))).toEqual(['работа', 'работы', 'работ', 'работ', 'работ', 'работа', 'работы', 'работ', 'работ']);
    expect(markRu(4)).toBe('«4»');
    expect(capitaliseRu('доля')).toBe('Доля');
  });
});
