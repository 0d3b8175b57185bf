import iconv from 'iconv-lite';
import { classifyBytes, DetectingDecoder, firstInvalidUtf8, InvalidBytesError, UndetectedEncodingError } from '../../../src/imports/parsing/encoding';

const RUSSIAN = 'Код ОО;Наименование;Доля «2», %\nsch661234;Школа № 1 — ёлка;12,5\n';

async function decodeAll(chunks: Buffer[], override?: string): Promise<{ text: string; encoding: string | null }> {
  const decoder = new DetectingDecoder(
    (async function* () {
      yield* chunks;
    })(),
    override,
  );
  let text = '';
  for await (const part of decoder.text()) text += part;
  return { text, encoding: decoder.encoding };
}

describe('classifyBytes', () => {
  it('recognises UTF-8, Windows-1251 and plain ASCII', () => {
    expect(classifyBytes(Buffer.from(RUSSIAN, 'utf8'), true)).toEqual({ kind: 'encoding', encoding: 'utf-8' });
    expect(classifyBytes(iconv.encode(RUSSIAN, 'windows-1251'), true)).toEqual({ kind: 'encoding', encoding: 'windows-1251' });
    expect(classifyBytes(Buffer.from('a;b\n1;2\n'), true)).toEqual({ kind: 'ascii' });
  });

  it('tolerates a UTF-8 character cut at the end of a sample that is not the end of the file', () => {
    const bytes = Buffer.from('Школа', 'utf8');
    expect(classifyBytes(bytes.subarray(0, bytes.length - 1), false)).toEqual({ kind: 'encoding', encoding: 'utf-8' });
  });

  it('refuses UTF-16 without a BOM and binary data', () => {
    expect(classifyBytes(iconv.encode(RUSSIAN, 'utf-16le', { addBOM: false }), true)).toEqual({ kind: 'refuse', reason: 'utf-16' });
    expect(classifyBytes(iconv.encode(RUSSIAN, 'utf-16be', { addBOM: false }), true)).toEqual({ kind: 'refuse', reason: 'utf-16' });
    expect(classifyBytes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x12, 0xff, 0x03, 0x00, 0x7f, 0x80]), true)).toEqual({ kind: 'refuse', reason: 'binary' });
  });

  it('refuses 8-bit text that is neither UTF-8 nor Russian Windows-1251', () => {
    // Latin-1 accented letters and Windows-1252 punctuation mixed in an 8-bit way Russian text never is.
    const bytes = Buffer.from([0x61, 0x80, 0x62, 0x81, 0x8d, 0x8f, 0x9d, 0x63, 0x99, 0x9e, 0x0a]);
    expect(classifyBytes(bytes, true)).toEqual({ kind: 'refuse', reason: 'unknown' });
  });
});

describe('firstInvalidUtf8', () => {
  it('finds the first byte that breaks UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('ёж', 'utf8'))).toBe(4);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xd0, 0x41]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xf4, 0x90, 0x80, 0x80]))).toBe(1); // past U+10FFFF
  });
});

describe('DetectingDecoder', () => {
  it('strips a UTF-8 BOM', async () => {
    expect(await decodeAll([Buffer.from('\ufeffа;б\n', 'utf8')])).toEqual({ text: 'а;б\n', encoding: 'utf-8' });
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text")', async () => {
    expect(await decodeAll([iconv.encode(RUSSIAN, 'utf-16le', { addBOM: true })])).toEqual({ text: RUSSIAN, encoding: 'utf-16le' });
  });

  it('switches to Windows-1251 losslessly when the first non-ASCII byte comes after a long ASCII stretch', async () => {
    const ascii = 'code;value\n'.repeat(20_000);
    const bytes = Buffer.concat([Buffer.from(ascii), iconv.encode('sch1;Школа ёлка\n', 'windows-1251')]);
    const chunks = [bytes.subarray(0, 70_000), bytes.subarray(70_000, 150_000), bytes.subarray(150_000)];
    expect(await decodeAll(chunks)).toEqual({ text: `${ascii}sch1;Школа ёлка\n`, encoding: 'windows-1251' });
  });

  it('decodes a character split between chunks', async () => {
    const bytes = Buffer.from('ёжик', 'utf8');
    expect(await decodeAll([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual({ text: 'ёжик', encoding: 'utf-8' });
  });

  it('fails when bytes stop being UTF-8 deep in a UTF-8 file', async () => {
    const chunks = [Buffer.from(`${'Школа;1\n'.repeat(10_000)}`, 'utf8'), iconv.encode('Школа;2\n', 'windows-1251')];
    await expect(decodeAll(chunks)).rejects.toBeInstanceOf(InvalidBytesError);
  });

  it('hands over the text before the first bad byte, so the row can be named', async () => {
    const good = 'Школа;1\n'.repeat(10_000); // past the 64 KB the encoding is chosen from
    const error = await decodeAll([Buffer.from(good, 'utf8'), Buffer.concat([Buffer.from('Шко', 'utf8'), Buffer.from([0xeb, 0xe0])])]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBytesError);
    expect((error as InvalidBytesError).validText).toBe('Шко');
  });

  it('uses the encoding given by the uploader', async () => {
    expect(await decodeAll([iconv.encode('Привет', 'koi8-r')], 'koi8-r')).toEqual({ text: 'Привет', encoding: 'koi8-r' });
  });

  it('refuses UTF-16 without a BOM', async () => {
    await expect(decodeAll([iconv.encode(RUSSIAN, 'utf-16le', { addBOM: false })])).rejects.toEqual(new UndetectedEncodingError('utf-16'));
  });
});
