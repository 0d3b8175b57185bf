/**
 * Russian number formatting for explanations: decimal comma, a true minus sign, a non-breaking
 * thin space between thousands (as analysts see numbers in ФИС ОКО reports).
 */

const THOUSANDS_SEPARATOR = '\u202f';

/** 2.9 → "2,9"; −0.25 with 2 digits → "−0,25"; 12345 → "12 345". Trailing zeros are dropped when `trim`. */
export function formatNumberRu(value: number, fractionDigits = 1, trim = true): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '—';
  let fixed = Math.abs(value).toFixed(fractionDigits);
  if (trim && fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS_SEPARATOR) : whole;
  const negative = value < 0 && Number(fixed) !== 0;
  return `${negative ? '−' : ''}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** A share in [0, 1] as a percentage: 0.784 → "78%", with digits 1 → "78,4%". */
export function formatPercentRu(share: number, fractionDigits = 0): string {
  return `${formatNumberRu(share * 100, fractionDigits)}%`;
}

/** A difference of shares in percentage points, signed: 0.12 → "+12 п.п.". */
export function formatPointsRu(shareDifference: number, fractionDigits = 0): string {
  const text = formatNumberRu(shareDifference * 100, fractionDigits);
  return `${shareDifference > 0 && text !== '0' ? '+' : ''}${text} п.п.`;
}

/** "p = 0,012", "p < 0,001". */
export function formatPValueRu(p: number): string {
  if (p < 0.001) return 'p < 0,001';
  return `p = ${formatNumberRu(p, p < 0.01 ? 4 : 3)}`;
}

/** Russian plural form: pluralRu(21, ['работа', 'работы', 'работ']) → "работа". */
export function pluralRu(count: number, forms: readonly [string, string, string]): string {
  const n = Math.abs(Math.trunc(count)) % 100;
  const last = n % 10;
  if (n > 10 && n < 20) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

/** «12 работ», «1 работа»: a count of works (rounded) with its word. */
export function worksCountRu(n: number): string {
  return `${formatNumberRu(n, 0)} ${pluralRu(Math.round(n), ['работа', 'работы', 'работ'])}`;
}

/** «4» — a mark in Russian quotation marks. */
export function markRu(mark: number): string {
  return `«${mark}»`;
}

/** First letter upper-case: sentences assembled from parts. */
export function capitaliseRu(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
