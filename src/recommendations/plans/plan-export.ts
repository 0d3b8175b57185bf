import ExcelJS from 'exceljs';
import type { ActionPlanType, PlannedMeasureType } from './plan.types';

/** The seeds' columns of a plan of measures, in their order. */
export const PLAN_COLUMNS = ['№ п/п', 'Мероприятие', 'Срок', 'Ответственные', 'Ожидаемый результат', 'Выводы по итогам контроля'] as const;

const STATUS_RU: Record<string, string> = {
  PLANNED: 'запланировано',
  IN_PROGRESS: 'выполняется',
  DONE: 'выполнено',
  NOT_DONE: 'не выполнено',
  CANCELLED: 'отменено',
};

type PlanRow = { kind: 'section'; number: string; title: string } | { kind: 'measure'; cells: string[] };

const ruDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

function measureText(m: PlannedMeasureType): string {
  const schools = m.schools?.length ? ` — ОО: ${m.schools.map((s) => s.name).join('; ')}` : '';
  const retired = m.indication === 'NO_LONGER_INDICATED' ? ' (по новым данным больше не требуется)' : '';
  return `${m.titleRu}${schools}${retired}`;
}

function conclusionText(m: PlannedMeasureType): string {
  const evidence = m.evidence.docType ? `${m.evidence.docType}${m.evidence.docNumber ? ` № ${m.evidence.docNumber}` : ''}${m.evidence.docDate ? ` от ${ruDate(m.evidence.docDate)}` : ''}` : '';
  return [STATUS_RU[m.status] ?? m.status, evidence, m.controlConclusion ?? ''].filter(Boolean).join('; ');
}

/** Rows grouped by section as the seed road maps do: «1. Раздел», then 1.1, 1.2 … */
function planRows(plan: ActionPlanType): PlanRow[] {
  const sections = new Map<string, PlannedMeasureType[]>();
  for (const m of plan.measures.filter((m) => m.status !== 'CANCELLED')) {
    const list = sections.get(m.section) ?? [];
    list.push(m);
    sections.set(m.section, list);
  }
  const rows: PlanRow[] = [];
  [...sections.entries()].forEach(([section, measures], s) => {
    rows.push({ kind: 'section', number: `${s + 1}.`, title: section });
    measures.forEach((m, i) => {
      rows.push({ kind: 'measure', cells: [`${s + 1}.${i + 1}`, measureText(m), `до ${ruDate(m.dueDate)}`, m.responsible.join(', '), m.expectedResultRu, conclusionText(m)] });
    });
  });
  return rows;
}

/** CSV for Russian-locale Excel: UTF-8 with BOM, `;` separators, quoted fields. */
export function planCsv(title: string, plan: ActionPlanType): string {
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const lines = [[title], [...PLAN_COLUMNS]].map((cells) => cells.map(quote).join(';'));
  for (const row of planRows(plan)) {
    const cells = row.kind === 'section' ? [row.number, row.title, '', '', '', ''] : row.cells;
    lines.push(cells.map(quote).join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** XLSX ready to print and sign: title, header, section rows merged across the table, wrapped text. */
export async function planXlsx(title: string, plan: ActionPlanType): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('План мероприятий', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 8 }, { width: 60 }, { width: 14 }, { width: 20 }, { width: 40 }, { width: 40 }];
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.mergeCells(1, 1, 1, PLAN_COLUMNS.length);
  const header = sheet.addRow([...PLAN_COLUMNS]);
  header.font = { bold: true };
  for (const row of planRows(plan)) {
    if (row.kind === 'section') {
      const added = sheet.addRow([row.number, row.title]);
      added.font = { bold: true };
      sheet.mergeCells(added.number, 2, added.number, PLAN_COLUMNS.length);
    } else {
      sheet.addRow(row.cells);
    }
  }
  sheet.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'top' };
    row.eachCell((cell) => (cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } }));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
