import { ZONE_LEVEL_RU, ZoneKind } from '../../risk/markers';
import type { MarkerFinding } from './profile';

/** Russian wording shared by recommendation reasons and the municipal plan. */

export { ZONE_LEVEL_RU };

export const ZONE_KIND_RU: Record<ZoneKind, string> = {
  OBJECTIVITY: 'признаки необъективности',
  LOW_RESULTS: 'низкие результаты',
  BALANCE: 'сбалансированность системы оценки',
};

/** «1 год», «3 года», «5 лет». */
export function yearsRu(n: number): string {
  const lastTwo = n % 100;
  const last = n % 10;
  const word = lastTwo >= 11 && lastTwo <= 14 ? 'лет' : last === 1 ? 'год' : last >= 2 && last <= 4 ? 'года' : 'лет';
  return `${n} ${word}`;
}

/** Decimal comma and at most two decimals, as Russian reports print numbers. */
function numberRu(value: number): string {
  return String(Math.round(value * 100) / 100).replace('.', ',');
}

/** «ВПР, Русский язык, 4 класс: <explanation> (значение 2,41)». */
export function markerFindingRu(m: Omit<MarkerFinding, 'code'>): string {
  const where = [m.procedure, m.subject, m.grade !== null ? `${m.grade} класс` : null].filter(Boolean).join(', ');
  const value = m.value !== null ? ` (значение ${numberRu(m.value)})` : '';
  return `${where}: ${m.explanationRu}${value}`;
}
