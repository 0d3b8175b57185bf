/**
 * Opening an upload: a path or a stream, told apart as CSV or XLSX by its first bytes (operators rename
 * files), with size limits. XLSX streams are spooled to a temporary file because the zip's table of
 * contents is at its end: checking it is the only reliable way to refuse a truncated upload.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileIssue } from './issues';

export type InputFormat = 'csv' | 'xlsx' | 'json';

export type OpenedInput =
  | { format: 'csv' | 'json'; bytes: AsyncIterable<Buffer>; close(): Promise<void> }
  | { format: 'xlsx'; path: string; close(): Promise<void> };

export interface InputSource {
  path?: string;
  stream?: Readable;
  fileName: string;
}

const ZIP_MAGIC = [0x50, 0x4b];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SNIFF_LENGTH = 512;
const CHUNK_BYTES = 256 * 1024;

function startsWith(bytes: Buffer, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** Picks the reader from the first bytes; refuses formats the hub cannot read with a clear reason. */
function sniffFormat(head: Buffer, fileName: string): InputFormat {
  const extension = extname(fileName).toLowerCase();
  if (head.length === 0) throw fileIssue(fileName, 'EMPTY_FILE', 'Файл пустой: в нём нет ни одной строки.');
  if (startsWith(head, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(head, OLE_MAGIC)) {
    throw fileIssue(
      fileName,
      'UNSUPPORTED_FORMAT',
      'Файл в старом формате Excel 97–2003 (XLS) или защищён паролем. Откройте его в Excel и сохраните как «Книга Excel (XLSX)» без пароля или как CSV.',
    );
  }
  const text = head.toString('latin1').trimStart().slice(0, 200).toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<table') || text.startsWith('<?xml')) {
    throw fileIssue(
      fileName,
      'UNSUPPORTED_FORMAT',
      'Файл — веб-страница или XML, сохранённые с расширением таблицы. Откройте его в Excel и сохраните как «Книга Excel (XLSX)» или CSV.',
    );
  }
  // JSON as open-data portals publish it: an array of records (a CSV never starts with «[» or «{»).
  const start = head.subarray(startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0).toString('latin1').trimStart();
  if (extension === '.json' || start.startsWith('[') || start.startsWith('{')) return 'json';
  if (extension === '.xlsx' || extension === '.xlsm') {
    throw fileIssue(fileName, 'XLSX_CORRUPT', 'Файл с расширением .xlsx не является книгой Excel: он повреждён или это файл другого формата.');
  }
  return 'csv';
}

function tooLarge(fileName: string, limit: number): Error {
  return fileIssue(fileName, 'FILE_TOO_LARGE', `Файл больше допустимых ${Math.floor(limit / (1024 * 1024))} МБ: разделите его на части.`);
}

async function openPath(path: string, fileName: string, maxBytes: number): Promise<OpenedInput> {
  const { size } = await stat(path);
  if (size > maxBytes) throw tooLarge(fileName, maxBytes);
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(SNIFF_LENGTH, size));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const format = sniffFormat(head, fileName);
  if (format === 'xlsx') return { format: 'xlsx', path, close: async () => undefined };
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  return {
    format,
    bytes: stream,
    close: async () => {
      stream.destroy();
    },
  };
}

/** The stream's chunks, failing once more than `maxBytes` went by. */
async function* limited(first: Buffer[], rest: AsyncIterator<Buffer>, fileName: string, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for (const chunk of first) {
    total += chunk.length;
    yield chunk;
  }
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(fileName, maxBytes);
    yield chunk;
  }
}

async function openStream(stream: Readable, fileName: string, maxBytes: number): Promise<OpenedInput> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_LENGTH) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    first.push(chunk);
    length += chunk.length;
  }
  let format: InputFormat;
  try {
    if (length > maxBytes) throw tooLarge(fileName, maxBytes);
    format = sniffFormat(Buffer.concat(first, length), fileName);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  const bytes = limited(first, iterator, fileName, maxBytes);
  if (format !== 'xlsx') {
    return {
      format,
      bytes,
      close: async () => {
        stream.destroy();
      },
    };
  }
  const spooled = join(tmpdir(), `msoko-import-${randomBytes(8).toString('hex')}.xlsx`);
  const remove = async (): Promise<void> => {
    await unlink(spooled).catch(() => undefined);
  };
  try {
    await pipeline(bytes, createWriteStream(spooled));
  } catch (error) {
    stream.destroy();
    await remove();
    throw error;
  }
  return { format, path: spooled, close: remove };
}

export async function openInput(source: InputSource, maxBytes: number): Promise<OpenedInput> {
  if (source.path !== undefined) return openPath(source.path, source.fileName, maxBytes);
  if (source.stream !== undefined) return openStream(source.stream, source.fileName, maxBytes);
  throw new TypeError('parseImportFile needs a path or a stream');
}
