/**
 * Speed and memory of the import parsers (not a test: timings do not belong in assertions).
 * Run: node -r ts-node/register/transpile-only test/imports/parsing/bench/parse-speed.ts [rows]
 * Writes generated files to the OS temp directory and removes them afterwards.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as csvParse } from 'csv-parse';
import * as ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CsvReader } from '../../../../src/imports/parsing/csv-reader';
import { DetectingDecoder } from '../../../../src/imports/parsing/encoding';
import { parseImportFile } from '../../../../src/imports/parsing';

const HEADER = ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', '1 (1б)', '2 (2б)', '3 (2б)', 'Первичный балл', 'Отметка', 'Отметка по журналу'];

function participantRow(i: number): (string | number)[] {
  const t1 = i % 2;
  const t2 = i % 3;
  const t3 = (i >> 1) % 3;
  const primary = t1 + t2 + t3;
  return [`sch66${1000 + (i % 500)}`, 'Каменск-Уральский ГО', `МАОУ СОШ № ${i % 500}`, 100000 + i, `4${'АБВ'[i % 3]}`, 1 + (i % 2), t1, t2, t3, primary, 2 + (primary % 4), 3];
}

async function writeCsv(path: string, rows: number, encoding: 'utf-8' | 'windows-1251'): Promise<void> {
  const out = createWriteStream(path);
  const lines: string[] = ['ВПР 2024 Русский язык 4 класс', HEADER.join(';')];
  for (let i = 0; i < rows; i++) {
    lines.push(participantRow(i).join(';'));
    if (lines.length >= 10_000 || i === rows - 1) {
      const text = lines.join('\r\n') + '\r\n';
      if (!out.write(encoding === 'utf-8' ? text : iconv.encode(text, 'windows-1251'))) await once(out, 'drain');
      lines.length = 0;
    }
  }
  out.end();
  await once(out, 'finish');
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Результаты');
  sheet.addRow(['ВПР 2024 Русский язык 4 класс']).commit();
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(participantRow(i)).commit();
  await workbook.commit();
}

/** Peak RSS and heap while `work` runs, sampled every 20 ms. */
async function measure(label: string, rows: number, work: () => Promise<number>): Promise<void> {
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 20);
  const started = process.hrtime.bigint();
  const counted = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
  console.log(
    `${label.padEnd(44)} ${String(counted).padStart(8)} rows  ${seconds.toFixed(2).padStart(6)} s  ${String(Math.round(rows / seconds)).padStart(8)} rows/s  ` +
      `peak RSS ${mb(peakRss)} (+${mb(peakRss - base.rss)}), peak heap +${mb(peakHeap - base.heapUsed)}`,
  );
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const xlsxRows = Number(process.argv[3] ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), 'msoko-bench-'));
  try {
    const utf8 = join(dir, 'vpr-utf8.csv');
    const utf8Small = join(dir, 'vpr-utf8-small.csv');
    const cp1251 = join(dir, 'vpr-cp1251.csv');
    const xlsx = join(dir, 'vpr.xlsx');
    const referenceRows = Math.min(rows, 100_000);
    await writeCsv(utf8, rows, 'utf-8');
    await writeCsv(utf8Small, referenceRows, 'utf-8');
    await writeCsv(cp1251, rows, 'windows-1251');
    await writeXlsx(xlsx, xlsxRows);
    const secret = 'bench-secret-bench-secret-bench-secret';

    // csv-parse is slow on this data, so it gets a tenth of the rows.
    await measure('csv-parse 7 (reference, rows only)', referenceRows, async () => {
      let count = 0;
      const parser = createReadStream(utf8Small, { highWaterMark: 256 * 1024 }).pipe(csvParse({ delimiter: ';', relax_column_count: true }));
      for await (const _ of parser) count++;
      return count;
    });
    await measure('CsvReader (UTF-8, rows only)', rows, async () => {
      let count = 0;
      const decoder = new DetectingDecoder(createReadStream(utf8, { highWaterMark: 256 * 1024 }));
      for await (const batch of new CsvReader(decoder.text(), { fileName: 'b.csv', maxFieldLength: 100_000, maxColumns: 2000 }).batches()) count += batch.length;
      return count;
    });
    for (const [label, path] of [
      ['parseImportFile CSV UTF-8 (records)', utf8],
      ['parseImportFile CSV Windows-1251 (records)', cp1251],
    ] as const) {
      await measure(label, rows, async () => {
        const parsed = await parseImportFile({ path, fileName: 'vpr.csv', secret, allowedYears: { min: 2015, max: 2030 } });
        let count = 0;
        for await (const batch of parsed.batches) count += batch.length;
        if (parsed.summary.issues.total !== 0) throw new Error(`unexpected issues: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
        return count;
      });
    }
    await measure('parseImportFile CSV UTF-8 (record by record)', rows, async () => {
      const parsed = await parseImportFile({ path: utf8, fileName: 'vpr.csv', secret, allowedYears: { min: 2015, max: 2030 } });
      let count = 0;
      for await (const _ of parsed.records) count++;
      return count;
    });
    await measure('parseImportFile XLSX (records)', xlsxRows, async () => {
      const parsed = await parseImportFile({ path: xlsx, fileName: 'vpr.xlsx', secret, allowedYears: { min: 2015, max: 2030 } });
      let count = 0;
      for await (const batch of parsed.batches) count += batch.length;
      return count;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
