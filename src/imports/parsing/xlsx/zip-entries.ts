/**
 * Reading one part of the XLSX zip, streamed: the file range of its data, inflated (or passed through
 * when stored). Entries come from inspectXlsxZip, which has already checked the archive's structure.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { ZipEntry } from '../zip-check';
import { XlsxPartError } from './xml-text';

const STORED = 0;
const DEFLATED = 8;
const CHUNK_BYTES = 256 * 1024;

/**
 * How many bytes all parts read may still inflate to. The central directory's sizes were checked
 * against the limit already, but they are only claims: a lying directory (a zip bomb) is stopped here.
 */
export class InflateBudget {
  constructor(private remaining: number) {}

  spend(bytes: number): void {
    this.remaining -= bytes;
    if (this.remaining < 0) throw new XlsxPartError('too-large', 'the parts inflate to more than allowed');
  }
}

/** The part's uncompressed bytes, chunk by chunk. Stopping early (return) releases the file. */
async function* entryChunks(path: string, entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Buffer> {
  if (entry.method !== STORED && entry.method !== DEFLATED) throw new XlsxPartError('corrupt', `unsupported compression method ${entry.method}`);
  if (entry.compressedSize === 0) {
    // Only a stored empty part has no data; deflate always writes at least an end block.
    if (entry.method === DEFLATED) throw new XlsxPartError('corrupt', 'empty deflate stream');
    return;
  }
  const file = createReadStream(path, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1, highWaterMark: CHUNK_BYTES });
  let source: Readable = file;
  if (entry.method === DEFLATED) {
    const inflate = createInflateRaw({ chunkSize: CHUNK_BYTES });
    // pipeline() destroys the inflater when the file fails (and vice versa), so iterating it cannot hang.
    pipeline(file, inflate, () => undefined);
    source = inflate;
  }
  try {
    // Neither stream has an encoding set: chunks are Buffers.
    for await (const chunk of source as AsyncIterable<Buffer>) {
      budget.spend(chunk.length);
      yield chunk;
    }
  } finally {
    source.destroy();
    file.destroy();
  }
}

/** A whole (small) part as text. */
export async function entryText(path: string, entry: ZipEntry, budget: InflateBudget): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of entryChunks(path, entry, budget)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Text chunks of a part, UTF-8 decoded across chunk boundaries (a character may be split between two). */
export async function* entryTextChunks(path: string, entry: ZipEntry, budget: InflateBudget): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of entryChunks(path, entry, budget)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}
