import { PROCEDURE_RU } from '../../assessments/enums';
import type { TerritoryBunchingVerdict } from '../../risk';
import { esc } from '../html';

/** Territory verdicts on boundary bunching as a table, the flagged first (the municipality page and the report index). */
export function territoryBunchingTable(id: string, title: string, verdicts: readonly TerritoryBunchingVerdict[]): string {
  const rows = [...verdicts].sort((a, b) => Number(b.status === 'FLAGGED') - Number(a.status === 'FLAGGED'));
  return `<h2>${esc(title)}</h2>
  <table id="${esc(id)}"><tr><th>Процедура</th><th>Работ</th><th>Вывод</th></tr>
  ${rows
    .map((t) => `<tr data-status="${t.status}"><td>${esc(`${PROCEDURE_RU[t.procedure]}, ${t.subjectName.toLowerCase()}, ${t.grade} класс`)}</td><td>${t.participants}</td><td>${esc(t.explanationRu)}</td></tr>`)
    .join('')}
  </table>`;
}
