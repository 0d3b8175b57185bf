/**
 * A look at an XLSX's zip structure before reading it. Truncation (the upload broke off) is caught here,
 * from the central directory at the end of the file, where it is certain; the entries found tell the
 * reader where each part's data starts.
 */
import { open } from 'node:fs/promises';

/** One part of the archive, as the central directory and the part's local header describe it. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated; the reader refuses anything else. */
  method: number;
  compressedSize: number;
  /** As the central directory claims; the reader limits what inflating actually yields. */
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the part's bytes start: after the local header with the local (not central) name and extra lengths. */
  dataOffset: number;
}

export type ZipVerdict =
  | { ok: true; uncompressedBytes: number; entries: ZipEntry[]; /** What reading may inflate at most (see inflateAllowance). */ allowance: number }
  | { ok: false; problem: 'not-zip' | 'truncated' | 'corrupt' | 'encrypted' | 'not-xlsx' | 'too-large' };

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
/** XLSX files have tens of parts; a central directory this big is not a spreadsheet. */
const MAX_CENTRAL_DIRECTORY = 16 * 1024 * 1024;
/** Below this, any compression ratio is accepted (a small file of repeated values compresses very well). */
const SUSPICIOUS_INFLATED_BYTES = 256 * 1024 * 1024;
const MAX_COMPRESSION_RATIO = 100;

/**
 * How many bytes an XLSX of this size may inflate to. Spreadsheets compress 5–30 times; hundreds of
 * megabytes at a hundred times or more is a file of empty rows or repeated filler (a 3 MB upload declaring
 * 2.1 GB), refused from the central directory before any of it is inflated, and stopped while inflating
 * when the directory lies.
 */
function inflateAllowance(fileBytes: number, maxUncompressedBytes: number): number {
  return Math.min(maxUncompressedBytes, Math.max(SUSPICIOUS_INFLATED_BYTES, fileBytes * MAX_COMPRESSION_RATIO));
}

export async function inspectXlsxZip(path: string, maxUncompressedBytes: number): Promise<ZipVerdict> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    if (size < 4 || (await read(0, 4)).readUInt32LE(0) !== LOCAL_HEADER) return { ok: false, problem: 'not-zip' };
    if (size < EOCD_MIN) return { ok: false, problem: 'truncated' };

    const tailLength = Math.min(size, EOCD_MIN + MAX_COMMENT);
    const tail = await read(size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return { ok: false, problem: 'truncated' };
    const eocdPosition = size - tailLength + eocd;
    const entryCount = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    // ZIP64 archives (over 4 GB or 65,535 parts) are beyond any upload limit the hub sets.
    if (directoryOffset === 0xffffffff || entryCount === 0xffff) return { ok: false, problem: 'too-large' };
    if (directoryOffset + directorySize > eocdPosition || directorySize > MAX_CENTRAL_DIRECTORY) return { ok: false, problem: 'truncated' };

    const directory = await read(directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let uncompressedBytes = 0;
    let position = 0;
    for (let n = 0; n < entryCount; n++) {
      if (position + 46 > directory.length || directory.readUInt32LE(position) !== CENTRAL_HEADER) return { ok: false, problem: 'corrupt' };
      const flags = directory.readUInt16LE(position + 8);
      const method = directory.readUInt16LE(position + 10);
      const compressedSize = directory.readUInt32LE(position + 20);
      const uncompressedSize = directory.readUInt32LE(position + 24);
      const nameLength = directory.readUInt16LE(position + 28);
      const extraLength = directory.readUInt16LE(position + 30);
      const commentLength = directory.readUInt16LE(position + 32);
      const localOffset = directory.readUInt32LE(position + 42);
      const name = directory.toString('utf8', position + 46, position + 46 + nameLength);
      if (flags & 0x1) return { ok: false, problem: 'encrypted' };
      if (localOffset + 30 + compressedSize > directoryOffset) return { ok: false, problem: 'truncated' };
      const local = await read(localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_HEADER) return { ok: false, problem: 'corrupt' };
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      // Local name and extra lengths that push the data into the directory: the headers disagree.
      if (dataOffset + compressedSize > directoryOffset) return { ok: false, problem: 'corrupt' };
      entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset: localOffset, dataOffset });
      uncompressedBytes += uncompressedSize;
      position += 46 + nameLength + extraLength + commentLength;
    }
    if (!entries.some((entry) => entry.name === 'xl/workbook.xml') || !entries.some((entry) => /^xl\/worksheets\/sheet\d+\.xml$/.test(entry.name))) {
      return { ok: false, problem: 'not-xlsx' };
    }
    const allowance = inflateAllowance(size, maxUncompressedBytes);
    if (uncompressedBytes > allowance) return { ok: false, problem: 'too-large' };
    return { ok: true, uncompressedBytes, entries, allowance };
  } finally {
    await file.close();
  }
}
