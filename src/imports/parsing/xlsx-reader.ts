/**
 * Streaming XLSX reader. Reads one worksheet (the named one, or the first visible) into plain rows:
 * shared strings, rich text, dates and numbers become plain values; formula cells keep their cached
 * result but are flagged, because the hub accepts values only.
 *
 * The zip is read through its central directory (zip-check.ts); the worksheet part is inflated and
 * scanned as it streams (xlsx/sheet-scanner.ts), so memory stays flat however long the sheet is. Only
 * the shared strings are held, as one array of plain strings.
 */
import { fileIssue, ImportFileError } from './issues';
import type { RawRow } from './raw-row';
import { SheetScanner } from './xlsx/sheet-scanner';
import { parseDateStyles, parseRelationships, parseWorkbook, SharedStrings, type Relationship, type WorkbookSheet } from './xlsx/workbook-parts';
import { XlsxPartError } from './xlsx/xml-text';
import { entryText, entryTextChunks, InflateBudget } from './xlsx/zip-entries';
import { inspectXlsxZip, type ZipEntry } from './zip-check';

export interface XlsxReaderOptions {
  fileName: string;
  /** Worksheet to read; default: the first visible one. */
  sheet?: string;
  maxUncompressedBytes: number;
}

const NOT_XLSX_MESSAGES = {
  'not-zip': 'Файл не является книгой Excel в формате XLSX.',
  truncated: 'Файл XLSX повреждён или загружен не полностью (обрезан). Загрузите файл ещё раз.',
  corrupt: 'Файл XLSX повреждён: архив внутри файла не читается. Откройте файл в Excel и сохраните заново.',
  encrypted: 'Файл XLSX защищён паролем. Снимите пароль и загрузите файл заново.',
  'not-xlsx': 'Файл — ZIP-архив, но не книга Excel (XLSX). Загрузите таблицу в формате XLSX или CSV.',
  'too-large': 'Файл XLSX слишком велик после распаковки или в нём строки за пределами листа Excel (часто это миллионы пустых строк): удалите пустые строки и столбцы или разделите файл на несколько.',
} as const;

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELATIONSHIPS = 'xl/_rels/workbook.xml.rels';

/** The zip's entries by name; part names are case-insensitive in OPC packages. */
class Parts {
  private readonly byName = new Map<string, ZipEntry>();

  constructor(entries: readonly ZipEntry[]) {
    // The first of duplicate names wins, as in the central directory order.
    for (const entry of entries) if (!this.byName.has(entry.name.toLowerCase())) this.byName.set(entry.name.toLowerCase(), entry);
  }

  find(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  get(name: string): ZipEntry {
    const entry = this.find(name);
    if (entry === undefined) throw new XlsxPartError('corrupt', `missing part ${name}`);
    return entry;
  }
}

export class XlsxReader {
  /** Name of the worksheet read, once it is found. */
  sheet: string | null = null;
  /** Worksheets of the workbook that were not read. */
  otherSheets: string[] = [];

  constructor(
    private readonly path: string,
    private readonly options: XlsxReaderOptions,
  ) {}

  async *batches(): AsyncGenerator<RawRow[]> {
    const verdict = await inspectXlsxZip(this.path, this.options.maxUncompressedBytes);
    if (!verdict.ok) throw fileIssue(this.options.fileName, 'XLSX_CORRUPT', NOT_XLSX_MESSAGES[verdict.problem]);
    const parts = new Parts(verdict.entries);
    const budget = new InflateBudget(verdict.allowance);
    try {
      const workbook = parseWorkbook(await entryText(this.path, parts.get(WORKBOOK), budget));
      const relationships = parseRelationships(await entryText(this.path, parts.get(WORKBOOK_RELATIONSHIPS), budget), 'xl/');
      const names = workbook.sheets.map((sheet) => sheet.name);
      const chosen = this.choose(workbook.sheets, relationships);
      this.otherSheets = names.filter((name) => name !== chosen?.name);
      if (chosen === undefined) throw this.sheetNotFound(names);
      this.sheet = chosen.name;
      const target = relationships.get(chosen.relationshipId);
      if (target === undefined) throw new XlsxPartError('corrupt', `no relationship ${chosen.relationshipId}`);
      // A chart sheet, say, has no cells: nothing to read.
      if (target.kind !== 'worksheet') return;
      const sheetEntry = parts.get(target.part);

      const styles = this.partOf(relationships, 'styles', parts, 'xl/styles.xml');
      const dateStyles = styles === undefined ? [] : parseDateStyles(await entryText(this.path, styles, budget));
      const sharedStringsEntry = this.partOf(relationships, 'sharedStrings', parts, 'xl/sharedStrings.xml');
      let sharedStrings: string[] = [];
      if (sharedStringsEntry !== undefined) {
        const collector = new SharedStrings();
        for await (const chunk of entryTextChunks(this.path, sharedStringsEntry, budget)) collector.write(chunk);
        sharedStrings = collector.end();
      }

      const scanner = new SheetScanner({ sheet: chosen.name, sharedStrings, dateStyles, date1904: workbook.date1904 });
      for await (const chunk of entryTextChunks(this.path, sheetEntry, budget)) {
        const rows = scanner.write(chunk);
        if (rows.length > 0) yield rows;
      }
      const rows = scanner.end();
      if (rows.length > 0) yield rows;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** The named sheet (case and surrounding spaces aside), or the first visible worksheet in tab order. */
  private choose(sheets: readonly WorkbookSheet[], relationships: ReadonlyMap<string, Relationship>): WorkbookSheet | undefined {
    if (this.options.sheet !== undefined) {
      const wanted = this.options.sheet.trim().toLowerCase();
      return sheets.find((sheet) => sheet.name.trim().toLowerCase() === wanted);
    }
    // Chart sheets and the like have no cells; a sheet without its relationship is a broken file, found later.
    const hasCells = (sheet: WorkbookSheet): boolean => (relationships.get(sheet.relationshipId)?.kind ?? 'worksheet') === 'worksheet';
    return sheets.find((sheet) => sheet.state !== 'hidden' && sheet.state !== 'veryHidden' && hasCells(sheet));
  }

  /**
   * The workbook's part of a kind, found by relationship, else at its usual name. Either may be absent:
   * without styles no number reads as a date; without shared strings, cells referring to them are empty.
   */
  private partOf(relationships: ReadonlyMap<string, Relationship>, kind: string, parts: Parts, usual: string): ZipEntry | undefined {
    for (const relationship of relationships.values()) {
      if (relationship.kind === kind) {
        const entry = parts.find(relationship.part);
        if (entry !== undefined) return entry;
      }
    }
    return parts.find(usual);
  }

  private sheetNotFound(names: readonly string[]): ImportFileError {
    return fileIssue(
      this.options.fileName,
      'SHEET_NOT_FOUND',
      this.options.sheet !== undefined
        ? `В книге нет листа «${this.options.sheet}». Листы книги: ${names.map((name) => `«${name}»`).join(', ') || 'нет'}.`
        : 'В книге нет ни одного видимого листа с данными.',
      { sheet: this.options.sheet ?? null, value: this.options.sheet ?? null },
    );
  }

  private explain(error: unknown): unknown {
    if (error instanceof ImportFileError) return error;
    // Whatever fails here — inflating, the XML, a missing part — means the file's insides are broken.
    return fileIssue(
      this.options.fileName,
      'XLSX_CORRUPT',
      error instanceof XlsxPartError && error.problem === 'too-large' ? NOT_XLSX_MESSAGES['too-large'] : NOT_XLSX_MESSAGES.corrupt,
      { sheet: this.sheet },
    );
  }
}
