/**
 * Text decoding of CSV uploads with encoding detection. Regional CSVs are UTF-8 (with or without BOM)
 * or Windows-1251 saved by Excel; Excel's "Unicode text" is UTF-16 with a BOM. Anything else must be
 * named by the uploader, because guessing wrong silently garbles school names.
 * Decoding streams: only the first 64 KB (or the bytes after the first non-ASCII byte) are inspected.
 */
import iconv from 'iconv-lite';

const SNIFF_BYTES = 64 * 1024;

export type Sniff =
  | { kind: 'ascii' }
  | { kind: 'encoding'; encoding: 'utf-8' | 'windows-1251' }
  | { kind: 'refuse'; reason: 'utf-16' | 'binary' | 'unknown' };

/**
 * Thrown by the decoder when bytes stop being valid in the chosen encoding. `validText` is the text
 * decoded up to the first bad byte, so the CSV reader can tell the row where it sits.
 */
export class InvalidBytesError extends Error {
  constructor(
    readonly encoding: string,
    readonly validText: string,
  ) {
    super(`Bytes invalid in ${encoding}`);
  }
}

/** Thrown when the encoding cannot be determined; `reason` selects the operator message. */
export class UndetectedEncodingError extends Error {
  constructor(readonly reason: 'utf-16' | 'binary' | 'unknown' | 'unsupported-override') {
    super(`Encoding not detected: ${reason}`);
  }
}

/** Windows-1251 bytes that occur in Russian text: letters А–я, Ё, ё and common typography. */
function isCp1251Letter(byte: number): boolean {
  return byte >= 0xc0 || byte === 0xa8 || byte === 0xb8;
}
function isCp1251Typography(byte: number): boolean {
  // … ‘ ’ “ ” • – — nbsp § « ° № »
  return byte === 0x85 || (byte >= 0x91 && byte <= 0x97) || byte === 0xa0 || byte === 0xa7 || byte === 0xab || byte === 0xb0 || byte === 0xb9 || byte === 0xbb;
}

function isValidUtf8(sample: Buffer, atEnd: boolean): boolean {
  try {
    // stream: true tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !atEnd });
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-16 Russian text: every other byte is the high byte of a character — 0x00 for digits, Latin and
 * punctuation, 0x04 for Cyrillic, 0x20/0x21 for dashes, quotes and №.
 */
function looksLikeUtf16(sample: Buffer): boolean {
  for (const parity of [1, 0]) {
    let total = 0;
    let highBytes = 0;
    for (let i = parity; i < sample.length; i += 2) {
      total++;
      const byte = sample[i];
      if (byte === 0x00 || byte === 0x04 || byte === 0x20 || byte === 0x21) highBytes++;
    }
    if (total > 0 && highBytes >= 0.9 * total) return true;
  }
  return false;
}

export function classifyBytes(sample: Buffer, atEnd: boolean): Sniff {
  let nul = 0;
  let control = 0;
  let high = 0;
  let letters = 0;
  let typography = 0;
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i];
    if (byte === 0) {
      nul++;
    } else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1a) {
      control++;
    } else if (byte >= 0x80) {
      high++;
      if (isCp1251Letter(byte)) letters++;
      else if (isCp1251Typography(byte)) typography++;
    }
  }
  if (nul > 0) return { kind: 'refuse', reason: looksLikeUtf16(sample) ? 'utf-16' : 'binary' };
  if (control > Math.max(2, sample.length / 1000)) return { kind: 'refuse', reason: 'binary' };
  if (high === 0) return { kind: 'ascii' };
  if (isValidUtf8(sample, atEnd)) return { kind: 'encoding', encoding: 'utf-8' };
  if (letters >= 0.6 * high && letters + typography >= 0.95 * high) return { kind: 'encoding', encoding: 'windows-1251' };
  return { kind: 'refuse', reason: 'unknown' };
}

interface Decoder {
  write(bytes: Buffer): string;
  end(): string;
}

/** Length of the prefix of `bytes` that ends on a character boundary (a cut character is carried over). */
function completeUtf8Length(bytes: Buffer): number {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start < 4 && (bytes[start] & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start];
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < needed ? start : bytes.length;
}

/** Index of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
export function firstInvalidUtf8(bytes: Buffer, end = bytes.length): number {
  let i = 0;
  while (i < end) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > end) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return end;
}

function utf8Decoder(): Decoder {
  // fatal: a stray Windows-1251 byte deep in a "UTF-8" file must stop the import, not become "�".
  // Characters cut between chunks are carried over by hand, so each chunk decodes on its own and a
  // failure can be pinned to the first bad byte.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry: Buffer | null = null;
  return {
    write(bytes) {
      const input: Buffer = carry === null ? bytes : Buffer.concat([carry, bytes]);
      const complete = completeUtf8Length(input);
      carry = complete < input.length ? Buffer.from(input.subarray(complete)) : null;
      try {
        return decoder.decode(input.subarray(0, complete));
      } catch {
        throw new InvalidBytesError('utf-8', input.toString('utf8', 0, firstInvalidUtf8(input, complete)));
      }
    },
    end() {
      if (carry !== null) throw new InvalidBytesError('utf-8', '');
      return '';
    },
  };
}

function iconvDecoder(encoding: string): Decoder {
  const decoder = iconv.getDecoder(encoding);
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? '' };
}

/** Node's built-in decoders (ICU) are faster than iconv-lite's; iconv-lite covers the names ICU lacks. */
function nativeDecoder(encoding: string): Decoder | null {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    return null;
  }
  return { write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}

function decoderFor(encoding: string): Decoder {
  if (/^utf-?8$/i.test(encoding)) return utf8Decoder();
  return nativeDecoder(encoding) ?? iconvDecoder(encoding);
}

/** Pulls byte chunks and can gather at least n bytes for inspection. */
class ByteChunks {
  private readonly iterator: AsyncIterator<Buffer>;
  done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | null> {
    if (this.done) return null;
    const result = await this.iterator.next();
    if (result.done) {
      this.done = true;
      return null;
    }
    return Buffer.isBuffer(result.value) ? result.value : Buffer.from(result.value);
  }

  /** `start` followed by further chunks until at least `bytes` are gathered or the input ends. */
  async gather(start: Buffer, bytes: number): Promise<Buffer> {
    const parts = [start];
    let length = start.length;
    while (length < bytes) {
      const chunk = await this.next();
      if (chunk === null) break;
      parts.push(chunk);
      length += chunk.length;
    }
    return parts.length === 1 ? start : Buffer.concat(parts, length);
  }

  async return(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }
}

function firstNonAscii(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

/**
 * Decodes a byte stream to text. `encoding` is known after the first chunk of text is produced
 * (for pure-ASCII files, when the first non-ASCII byte appears, or at the end: then it is 'utf-8').
 */
export class DetectingDecoder {
  encoding: string | null = null;

  constructor(
    private readonly source: AsyncIterable<Buffer>,
    private readonly override?: string,
  ) {}

  async *text(): AsyncGenerator<string> {
    const chunks = new ByteChunks(this.source);
    try {
      const sample = await chunks.gather(Buffer.alloc(0), SNIFF_BYTES);
      if (this.override !== undefined) {
        if (!iconv.encodingExists(this.override)) throw new UndetectedEncodingError('unsupported-override');
        this.encoding = this.override.toLowerCase();
        yield* this.decodeRest(decoderFor(this.override), sample, chunks);
        return;
      }
      const bom = this.bomEncoding(sample);
      if (bom !== null) {
        this.encoding = bom;
        yield* this.decodeRest(decoderFor(bom), sample, chunks);
        return;
      }
      yield* this.detectAndDecode(sample, chunks);
    } finally {
      await chunks.return();
    }
  }

  private bomEncoding(sample: Buffer): string | null {
    if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
    if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
    if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
    return null;
  }

  private async *detectAndDecode(sample: Buffer, chunks: ByteChunks): AsyncGenerator<string> {
    // UTF-16 without a BOM and binary files may have no byte above 0x7F at all: classify before streaming ASCII.
    const first = classifyBytes(sample, chunks.done);
    if (first.kind === 'refuse') throw new UndetectedEncodingError(first.reason);
    if (first.kind === 'encoding') {
      this.encoding = first.encoding;
      yield* this.decodeRest(decoderFor(first.encoding), sample, chunks);
      return;
    }
    let pending: Buffer | null = sample;
    for (;;) {
      const bytes: Buffer | null = pending ?? (await chunks.next());
      pending = null;
      if (bytes === null) {
        // The whole file was ASCII, which reads the same in UTF-8.
        this.encoding = 'utf-8';
        return;
      }
      const at = firstNonAscii(bytes);
      if (at < 0) {
        yield bytes.toString('latin1');
        continue;
      }
      // Everything before this byte was ASCII, identical in every candidate encoding: decide now.
      if (at > 0) yield bytes.toString('latin1', 0, at);
      const rest = await chunks.gather(bytes.subarray(at), SNIFF_BYTES);
      const sniff = classifyBytes(rest, chunks.done);
      if (sniff.kind === 'refuse') throw new UndetectedEncodingError(sniff.reason);
      const encoding = sniff.kind === 'encoding' ? sniff.encoding : 'utf-8';
      this.encoding = encoding;
      yield* this.decodeRest(decoderFor(encoding), rest, chunks);
      return;
    }
  }

  private async *decodeRest(decoder: Decoder, first: Buffer, chunks: ByteChunks): AsyncGenerator<string> {
    const text = decoder.write(first);
    if (text !== '') yield text;
    for (;;) {
      const bytes = await chunks.next();
      if (bytes === null) break;
      const more = decoder.write(bytes);
      if (more !== '') yield more;
    }
    const tail = decoder.end();
    if (tail !== '') yield tail;
  }
}
