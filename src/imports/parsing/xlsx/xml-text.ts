/**
 * Small XML helpers for the XLSX reader: text decoding (XML entities and Excel's `_xHHHH_` escapes), tag
 * attributes, and a resumable tokenizer for the workbook's small parts and its shared strings. The
 * worksheet, the one big part, has its own specialised scanner (sheet-scanner.ts).
 */

/** Thrown for anything that makes a part unreadable; the reader reports the file as corrupt. */
export class XlsxPartError extends Error {
  constructor(
    readonly problem: 'corrupt' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/** No tag (element start with its attributes) of a spreadsheet part comes near this; a longer one is garbage. */
export const MAX_TAG_CHARS = 4 * 1024 * 1024;
/** Excel keeps at most 32,767 characters in a cell; escaped XML of such a cell stays well below this. */
export const MAX_TEXT_CHARS = 4 * 1024 * 1024;

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#[xX]([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Excel writes characters XML cannot carry (control characters, and `_` before such a pattern) as _xHHHH_. */
const EXCEL_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

function decodeEntities(raw: string): string {
  return raw.replace(ENTITY, (whole: string, name: string | undefined, decimal: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return NAMED[name]!;
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    // Unknown or impossible references stay as written rather than failing the whole file.
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Raw element text (as between the tags) → the string it stands for. */
export function decodeXmlText(raw: string): string {
  let text = raw;
  // An XML parser hands out line ends as \n (XML 1.0 §2.11); an escaped &#13; is kept.
  if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
  if (text.indexOf('&') >= 0) text = decodeEntities(text);
  if (text.indexOf('_x') >= 0) text = text.replace(EXCEL_ESCAPE, (_: string, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return text;
}

/** Raw attribute value → its string (entities only: `_xHHHH_` belongs to cell text). */
function decodeXmlAttribute(raw: string): string {
  return raw.indexOf('&') >= 0 ? decodeEntities(raw) : raw;
}

/** CDATA content, re-escaped so that it survives the decoding applied to all collected text. */
export function escapeCdata(content: string): string {
  return content.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * A copy of a string that does not keep the chunk it was cut from alive. V8 represents a slice of 13+
 * characters as a view into its parent; a shared string kept for the whole import must not pin 64 KB
 * of XML text, so the slice is flattened into a fresh string of its own.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** Character codes the scanners compare with. */
export const Code = {
  Tab: 9,
  LineFeed: 10,
  CarriageReturn: 13,
  Space: 32,
  Bang: 33,
  Quote: 34,
  Apostrophe: 39,
  Slash: 47,
  Colon: 58,
  Less: 60,
  Equals: 61,
  Greater: 62,
  Question: 63,
} as const;

function isSpace(code: number): boolean {
  return code === Code.Space || code === Code.LineFeed || code === Code.Tab || code === Code.CarriageReturn;
}

/** Attributes of a start tag (the text between `<` and `>`), by local name (`r:id` → `id`), values decoded. */
export function tagAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let position = 0;
  const length = tag.length;
  // Skip the element name.
  while (position < length && !isSpace(tag.charCodeAt(position)) && tag.charCodeAt(position) !== Code.Slash) position++;
  for (;;) {
    while (position < length && isSpace(tag.charCodeAt(position))) position++;
    if (position >= length || tag.charCodeAt(position) === Code.Slash) return attributes;
    const nameStart = position;
    let localStart = position;
    while (position < length) {
      const code = tag.charCodeAt(position);
      if (code === Code.Equals || isSpace(code)) break;
      if (code === Code.Colon) localStart = position + 1;
      position++;
    }
    const name = tag.slice(localStart, position);
    while (position < length && isSpace(tag.charCodeAt(position))) position++;
    if (tag.charCodeAt(position) !== Code.Equals || nameStart === position) throw malformed();
    position++;
    while (position < length && isSpace(tag.charCodeAt(position))) position++;
    const quote = tag.charCodeAt(position);
    if (quote !== Code.Quote && quote !== Code.Apostrophe) throw malformed();
    const end = tag.indexOf(quote === Code.Quote ? '"' : "'", position + 1);
    if (end < 0) throw malformed();
    attributes[name] = decodeXmlAttribute(tag.slice(position + 1, end));
    position = end + 1;
  }
}

export function malformed(): XlsxPartError {
  return new XlsxPartError('corrupt', 'malformed XML');
}

/**
 * End of the markup starting with `<` at `start`: the index of its closing `>`, or -1 when the text
 * ends first (the rest comes with the next chunk). Quoted attribute values may contain `>`.
 */
export function markupEnd(text: string, start: number): number {
  const next = text.charCodeAt(start + 1);
  if (next === Code.Bang) {
    if (text.startsWith('<!--', start)) {
      const end = text.indexOf('-->', start + 4);
      return end < 0 ? -1 : end + 2;
    }
    if (text.startsWith('<![CDATA[', start)) {
      const end = text.indexOf(']]>', start + 9);
      return end < 0 ? -1 : end + 2;
    }
    // Too short to tell a comment or CDATA from a declaration yet.
    if (text.length - start < 9) return -1;
    return text.indexOf('>', start + 2);
  }
  if (next === Code.Question) {
    const end = text.indexOf('?>', start + 2);
    return end < 0 ? -1 : end + 1;
  }
  for (let position = start + 1; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (code === Code.Greater) return position;
    if (code === Code.Quote || code === Code.Apostrophe) {
      const close = text.indexOf(code === Code.Quote ? '"' : "'", position + 1);
      if (close < 0) return -1;
      position = close;
    }
  }
  return -1;
}

/** Local name of the element in markup `<name …>` or `</name>` (prefix dropped: `x:row` → `row`). */
function elementName(text: string, start: number, end: number): string {
  let position = start;
  let localStart = start;
  while (position < end) {
    const code = text.charCodeAt(position);
    if (isSpace(code) || code === Code.Slash || code === Code.Greater) break;
    if (code === Code.Colon) localStart = position + 1;
    position++;
  }
  if (position === localStart) throw malformed();
  return text.slice(localStart, position);
}

export interface XmlEvents {
  /** `tag` is the markup between `<` and `>`, for tagAttributes when the element's attributes matter. */
  open(name: string, tag: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text between markup, possibly in several pieces; CDATA comes re-escaped (see escapeCdata). */
  text(raw: string): void;
}

/** A resumable XML tokenizer: feed it text chunks in order, then call end() to check the document closed. */
export class XmlTokenizer {
  private carry = '';
  private depth = 0;
  private rootClosed = false;

  constructor(private readonly events: XmlEvents) {}

  write(chunk: string): void {
    const text = this.carry === '' ? chunk : this.carry + chunk;
    this.carry = '';
    const length = text.length;
    let position = 0;
    while (position < length) {
      const start = text.indexOf('<', position);
      if (start < 0) {
        this.events.text(text.slice(position));
        return;
      }
      if (start > position) this.events.text(text.slice(position, start));
      const end = markupEnd(text, start);
      if (end < 0) {
        if (length - start > MAX_TAG_CHARS) throw malformed();
        this.carry = text.slice(start);
        return;
      }
      this.markup(text, start, end);
      position = end + 1;
    }
  }

  end(): void {
    if (this.carry !== '' || this.depth !== 0 || !this.rootClosed) throw malformed();
  }

  private markup(text: string, start: number, end: number): void {
    const next = text.charCodeAt(start + 1);
    if (next === Code.Bang) {
      if (text.startsWith('<![CDATA[', start)) this.events.text(escapeCdata(text.slice(start + 9, end - 2)));
      return;
    }
    if (next === Code.Question) return;
    if (next === Code.Slash) {
      if (this.depth === 0) throw malformed();
      this.events.close(elementName(text, start + 2, end));
      if (--this.depth === 0) this.rootClosed = true;
      return;
    }
    if (this.rootClosed) throw malformed();
    const selfClosing = text.charCodeAt(end - 1) === Code.Slash;
    const name = elementName(text, start + 1, end);
    this.events.open(name, text.slice(start + 1, selfClosing ? end - 1 : end), selfClosing);
    if (selfClosing) {
      if (this.depth === 0) this.rootClosed = true;
    } else {
      this.depth++;
    }
  }
}
