/**
 * The readers behind one interface: a file (path or stream) → batches of raw rows, CSV, XLSX or JSON alike.
 * `parseImportFile` builds on it; on its own it serves previews, e.g. showing an operator the first
 * rows of an unknown file to build a column mapping.
 */
import type { Readable } from 'node:stream';
import { CsvReader } from './csv-reader';
import { DetectingDecoder } from './encoding';
import { openInput, type InputFormat } from './input';
import { DEFAULT_LIMITS, type CsvSeparator, type ParseLimits } from './options';
import type { RawRow } from './raw-row';
import { JsonReader, type JsonReaderOptions } from './json-reader';
import { XlsxReader } from './xlsx-reader';

export interface RawRowOptions {
  /** Exactly one of path and stream. */
  path?: string;
  stream?: Readable;
  fileName: string;
  encoding?: string;
  separator?: CsvSeparator;
  sheet?: string;
  /** JSON: the records' path (`result.records`); none — the top-level array, or the one array of records under the top-level object. */
  recordsPath?: string;
  limits?: Partial<ParseLimits>;
}

export interface RawRowSource {
  format: InputFormat;
  /** Rows in file order, in batches (one per chunk read). Single pass. */
  batches: AsyncGenerator<RawRow[]>;
  /** CSV: the encoding read, known once the first rows are out. */
  encoding(): string | null;
  separator(): CsvSeparator | null;
  /** XLSX: the worksheet read and the ones skipped. */
  sheet(): string | null;
  otherSheets(): string[];
  /** What the report should say of how the file was read (JSON: the path its records were read from). */
  notesRu(): string[];
  /** CSV: rows read from now on that are one plain line come out as LineRows (cells split on demand). */
  emitLines(): void;
  /** Releases the file (and a spooled copy of a streamed XLSX). Safe to call more than once. */
  close(): Promise<void>;
}

export async function openRawRows(options: RawRowOptions): Promise<RawRowSource> {
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const input = await openInput(options, limits.maxFileBytes);
  let closed = false;
  const close = async (batches: AsyncGenerator<RawRow[]>): Promise<void> => {
    if (closed) return;
    closed = true;
    await batches.return(undefined).catch(() => undefined);
    await input.close();
  };

  if (input.format === 'json') {
    const readerOptions = { fileName: options.fileName, maxFieldLength: limits.maxFieldLength, maxColumns: limits.maxColumns, recordsPath: options.recordsPath };
    // Records of open data often leave out the fields they have no value for: a file on disk is read once for every
    // key, so the header has them all (a stream cannot be read twice: a late key refuses it, naming the key).
    const header = options.path === undefined ? undefined : await jsonKeys(options, limits, readerOptions);
    const decoder = new DetectingDecoder(input.bytes, options.encoding);
    const reader = new JsonReader(decoder.text(), { ...readerOptions, header });
    const batches = reader.batches();
    return {
      format: 'json',
      batches,
      encoding: () => decoder.encoding,
      separator: () => null,
      sheet: () => null,
      otherSheets: () => [],
      notesRu: () => (reader.recordsFrom ? [recordsNoteRu(reader.recordsFrom, options.recordsPath !== undefined, reader.columnListsSkipped)] : []),
      emitLines: () => undefined,
      close: () => close(batches),
    };
  }
  if (input.format !== 'xlsx') {
    const decoder = new DetectingDecoder(input.bytes, options.encoding);
    const reader = new CsvReader(decoder.text(), {
      fileName: options.fileName,
      separator: options.separator,
      maxFieldLength: limits.maxFieldLength,
      maxColumns: limits.maxColumns,
    });
    const batches = reader.batches();
    return {
      format: 'csv',
      batches,
      encoding: () => decoder.encoding,
      separator: () => reader.separator,
      sheet: () => null,
      otherSheets: () => [],
      notesRu: () => [],
      emitLines: () => reader.emitLines(),
      close: () => close(batches),
    };
  }
  const reader = new XlsxReader(input.path, { fileName: options.fileName, sheet: options.sheet, maxUncompressedBytes: limits.maxUncompressedBytes });
  const batches = reader.batches();
  return {
    format: 'xlsx',
    batches,
    encoding: () => null,
    separator: () => null,
    sheet: () => reader.sheet,
    otherSheets: () => reader.otherSheets,
    notesRu: () => [],
    emitLines: () => undefined,
    close: () => close(batches),
  };
}

const recordsNoteRu = (path: string, given: boolean, columnLists: readonly string[]): string =>
  `Записи JSON прочитаны из массива «${path}» (${given ? 'путь указан при загрузке' : 'единственный массив записей в объекте файла'})` +
  (columnLists.length > 0 ? `; ${columnLists.map((list) => `«${list}»`).join(', ')} — описание столбцов, не записи, не прочитан.` : '.');

/** Every key of a JSON file's records, from a first reading of the file on disk (memory: one record at a time). */
async function jsonKeys(options: RawRowOptions, limits: ParseLimits, readerOptions: JsonReaderOptions): Promise<string[]> {
  const input = await openInput({ path: options.path, fileName: options.fileName }, limits.maxFileBytes);
  try {
    if (input.format !== 'json') throw new Error(`${options.fileName}: read as JSON first, now as ${input.format}`);
    return await new JsonReader(new DetectingDecoder(input.bytes, options.encoding).text(), readerOptions).keys();
  } finally {
    await input.close();
  }
}
