import { openRawRows, type RawRow } from '../../../src/imports/parsing';
import { fixture } from './helpers';

async function firstRows(path: string, count: number): Promise<{ rows: RawRow[]; source: Awaited<ReturnType<typeof openRawRows>> }> {
  const source = await openRawRows({ path, fileName: path.split('/').pop()! });
  const rows: RawRow[] = [];
  for await (const batch of source.batches) {
    rows.push(...batch);
    if (rows.length >= count) break;
  }
  await source.close();
  return { rows: rows.slice(0, count), source };
}

describe('openRawRows (previews of files of any layout)', () => {
  it('shows the first rows of a CSV no layout knows, with what was detected', async () => {
    const { rows, source } = await firstRows(fixture('bad/unknown-layout.csv'), 2);
    expect(rows).toEqual([
      { sheet: null, rowNumber: 1, cells: ['Дата', 'Температура', 'Осадки, мм'] },
      { sheet: null, rowNumber: 2, cells: ['01.09.2024', '14,5', '0'] },
    ]);
    expect([source.format, source.encoding(), source.separator()]).toEqual(['csv', 'utf-8', ';']);
  });

  it('shows XLSX rows with their sheet and Excel row numbers, title rows included', async () => {
    const { rows, source } = await firstRows(fixture('valid/fisoko-vpr-individual.xlsx'), 6);
    expect(rows.map((row) => [row.sheet, row.rowNumber, row.cells[0]])).toEqual([
      ['Результаты', 1, 'ВПР 2024 Русский язык 4 класс'],
      ['Результаты', 2, 'Регион: 66 Свердловская область'],
      ['Результаты', 3, 'Дата выгрузки: 20.05.2024'],
      ['Результаты', 5, null],
      ['Результаты', 6, 'ОО'],
      ['Результаты', 7, 'sch661234'],
    ]);
    expect(rows[3].cells.slice(5, 8)).toEqual(['Уровень', 'Б', 'Б']);
    expect(source.sheet()).toBe('Результаты');
  });
});
