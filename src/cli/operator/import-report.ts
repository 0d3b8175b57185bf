/**
 * The import report as the operator CLI prints it: the verdict and its reason first, the counts, the notes, then
 * the row errors and warnings in row order, with full messages and Russian severities, and a problem repeated on
 * many rows said once with its rows («ОО не найдена: кода «sch669999» нет… — 18 строк: 5, 6, 24, …»).
 */
import { table } from './progress';

export interface ReportedIssue {
  severity: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  cell: string | null;
  value: string | null;
  code: string;
  messageRu: string;
}

export interface ReportedBatch {
  id: string;
  status: string;
  layout: string | null;
  fileName: string;
  messageRu: string | null;
  fileError: { code: string; messageRu: string; sheet: string | null; row: number | null; column: string | null; value: string | null } | null;
  counts: { rowsRead: number; accepted: number; rejected: number; skipped: number; inserted: number; replaced: number; errors: number; warnings: number };
  report: { notes: string[] } | null;
  /** Codes not in the hub's directory, with the schools of the region they may mean (school matching). */
  unknownSchoolCodes?: { code: string; schoolName: string | null; rows: number[]; candidates: { schoolId: string; name: string; codes: string[]; score: number }[] }[];
}

export const STATUS_RU: Record<string, string> = {
  UPLOADED: 'загружен',
  QUEUED: 'в очереди',
  PARSING: 'чтение',
  VALIDATING: 'проверка',
  MERGING: 'запись',
  DONE: 'готово',
  FAILED: 'сбой',
  REJECTED: 'отклонён',
  CANCELLED: 'отменён',
};
const SEVERITY_RU: Record<string, string> = { ERROR: 'ошибка', WARNING: 'предупреждение' };

/** «1 строка», «3 строки», «18 строк». */
function rowsRu(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'строка' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'строки' : 'строк';
  return `${n} ${word}`;
}

/** The message without its location prefix («Строка 5, столбец «ОО» (A5): »), which the grouping says instead. */
function reasonOf(issue: ReportedIssue): string {
  return issue.messageRu.replace(/^Строка \d+(?:, столбец «[^»]*»(?: \([A-Z]+\d+\))?)?: /, '').replace(/\.$/, '');
}

interface Group {
  severity: string;
  reason: string;
  rows: number[];
  first: ReportedIssue;
}

/** Issues with the same severity, code, column and reason, in the order of their first row. */
function groupIssues(issues: readonly ReportedIssue[]): Group[] {
  const sorted = [...issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.cell ?? '').localeCompare(b.cell ?? ''));
  const groups = new Map<string, Group>();
  for (const issue of sorted) {
    const reason = reasonOf(issue);
    const key = [issue.severity, issue.code, issue.column ?? '', reason].join('\u0000');
    const group = groups.get(key);
    if (group) {
      if (issue.row !== null) group.rows.push(issue.row);
    } else {
      groups.set(key, { severity: issue.severity, reason, rows: issue.row === null ? [] : [issue.row], first: issue });
    }
  }
  return [...groups.values()];
}

function rowsList(rows: readonly number[], shown = 12): string {
  const unique = [...new Set(rows)];
  return `${unique.slice(0, shown).join(', ')}${unique.length > shown ? ', …' : ''}`;
}

export function formatReport(batch: ReportedBatch, issues: readonly ReportedIssue[], totalIssues: number, errorsCsvUrl: string): string {
  const lines: string[] = [];
  const verdict = STATUS_RU[batch.status] ?? batch.status;
  lines.push(`Пакет ${batch.id}: ${batch.fileName} — ${verdict} (формат ${batch.layout ?? 'не определён'})`);
  if (batch.status !== 'DONE') {
    // The reason first: a whole-file rejection has no rows to show.
    if (batch.fileError) {
      const where = [batch.fileError.sheet ? `лист «${batch.fileError.sheet}»` : null, batch.fileError.row ? `строка ${batch.fileError.row}` : null, batch.fileError.column ? `столбец ${batch.fileError.column}` : null]
        .filter((part) => part !== null)
        .join(', ');
      lines.push(`Причина: ${batch.fileError.messageRu}${where ? ` (${where})` : ''}`);
    } else if (batch.messageRu) {
      lines.push(`Причина: ${batch.messageRu}`);
    }
  } else if (batch.messageRu) {
    lines.push(batch.messageRu);
  }
  const c = batch.counts;
  lines.push('');
  lines.push(table(['прочитано', 'принято', 'отклонено', 'пропущено', 'записано', 'заменено', 'ошибок', 'предупр.'], [[c.rowsRead, c.accepted, c.rejected, c.skipped, c.inserted, c.replaced, c.errors, c.warnings]]));
  const notes = batch.report?.notes ?? [];
  if (notes.length > 0) {
    lines.push('', 'Примечания:');
    for (const note of notes) lines.push(`  • ${note}`);
  }
  const unknown = batch.unknownSchoolCodes ?? [];
  if (unknown.length > 0) {
    lines.push('', `Коды ОО, которых нет в справочнике хаба (подтвердить код: msoko-hub alias confirm КОД ID_ОО, затем перезапустить загрузку: msoko-hub rerun ${batch.id}):`);
    for (const entry of unknown) {
      const name = entry.schoolName ? ` «${entry.schoolName}»` : '';
      lines.push(`  ${entry.code}${name} — ${rowsRu(entry.rows.length)}: ${rowsList(entry.rows)}`);
      if (entry.candidates.length === 0) lines.push('    похожих ОО в регионе нет');
      for (const candidate of entry.candidates) {
        lines.push(`    возможно: «${candidate.name}» (id ${candidate.schoolId}; ${candidate.codes.join(', ')}) — сходство ${candidate.score.toFixed(2).replace('.', ',')}`);
      }
    }
  }
  if (totalIssues > 0) {
    const groups = groupIssues(issues);
    const shown = issues.length < totalIssues ? `, разобраны первые ${issues.length}` : '';
    lines.push('', `Ошибки и предупреждения: ${totalIssues}${shown} (все — ${errorsCsvUrl}):`);
    for (const group of groups) {
      const severity = SEVERITY_RU[group.severity] ?? group.severity.toLowerCase();
      if (group.rows.length <= 1) {
        const issue = group.first;
        const where = issue.row === null ? '' : `строка ${issue.row}${issue.column ? `, столбец «${issue.column}»${issue.cell ? ` (${issue.cell})` : ''}` : ''}: `;
        lines.push(`  ${severity}: ${where}${group.reason}`);
      } else {
        const column = group.first.column ? ` (столбец «${group.first.column}»)` : '';
        lines.push(`  ${severity}: ${group.reason}${column} — ${rowsRu(new Set(group.rows).size)}: ${rowsList(group.rows)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
