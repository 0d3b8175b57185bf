/**
 * The workbook's small parts, read the way Excel reads them: the sheet list and date system
 * (xl/workbook.xml), where each sheet's part lives (xl/_rels/workbook.xml.rels), which cell styles are
 * dates (xl/styles.xml) and the shared strings (xl/sharedStrings.xml).
 */
import { decodeXmlText, detach, MAX_TEXT_CHARS, tagAttributes, XlsxPartError, XmlTokenizer, type XmlEvents } from './xml-text';

export interface WorkbookSheet {
  name: string;
  /** visible, hidden or veryHidden. */
  state: string;
  relationshipId: string;
}

export interface WorkbookInfo {
  /** In workbook order (the order of the tabs). */
  sheets: WorkbookSheet[];
  /** Serial 0 is 1904-01-01 instead of 1900-01-00 (old Mac workbooks). */
  date1904: boolean;
}

function tokenize(text: string, events: XmlEvents): void {
  const tokenizer = new XmlTokenizer(events);
  tokenizer.write(text);
  tokenizer.end();
}

const ignoreText = (): void => undefined;
const ignoreClose = (): void => undefined;

export function parseWorkbook(xml: string): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], date1904: false };
  tokenize(xml, {
    open(name, tag) {
      if (name === 'sheet') {
        const attributes = tagAttributes(tag);
        if (attributes.name === undefined || attributes.id === undefined) throw new XlsxPartError('corrupt', 'sheet without name or r:id');
        info.sheets.push({ name: attributes.name, state: attributes.state ?? 'visible', relationshipId: attributes.id });
      } else if (name === 'workbookPr') {
        const date1904 = tagAttributes(tag).date1904;
        info.date1904 = date1904 === '1' || date1904 === 'true';
      }
    },
    close: ignoreClose,
    text: ignoreText,
  });
  return info;
}

export interface Relationship {
  /** The relationship type's last segment: worksheet, chartsheet, sharedStrings, styles, … */
  kind: string;
  /** Zip entry name of the target part, resolved against the source part's folder. */
  part: string;
}

/** Relationships of a part in folder `base` (e.g. `xl/`) by id; external targets are left out. */
export function parseRelationships(xml: string, base: string): Map<string, Relationship> {
  const relationships = new Map<string, Relationship>();
  tokenize(xml, {
    open(name, tag) {
      if (name !== 'Relationship') return;
      const attributes = tagAttributes(tag);
      if (attributes.Id === undefined || attributes.Target === undefined || attributes.TargetMode === 'External') return;
      const type = attributes.Type ?? '';
      relationships.set(attributes.Id, { kind: type.slice(type.lastIndexOf('/') + 1), part: resolvePart(base, attributes.Target) });
    },
    close: ignoreClose,
    text: ignoreText,
  });
  return relationships;
}

/** A relationship target as a zip entry name: absolute from the package root, or relative to `base`. */
function resolvePart(base: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : base + target;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

/** Built-in number formats that are dates or times (ids 27–36 and 50–58 are the East Asian ones). */
function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/**
 * A custom format code shows a date or time when it has a date/time token outside quoted text,
 * [..] brackets (colours, locales, conditions) and escaped characters (\x, _x spacing, *x fill).
 */
function isDateFormat(code: string): boolean {
  for (let i = 0; i < code.length; i++) {
    const char = code[i]!;
    if (char === '"') {
      const end = code.indexOf('"', i + 1);
      if (end < 0) return false;
      i = end;
    } else if (char === '[') {
      const end = code.indexOf(']', i + 1);
      if (end < 0) return false;
      i = end;
    } else if (char === '\\' || char === '_' || char === '*') {
      i++;
    } else if ('dDmMyYhHsS'.includes(char)) {
      return true;
    }
  }
  return false;
}

/** For each cell style (index = a cell's `s`), whether it formats numbers as dates. */
export function parseDateStyles(xml: string): boolean[] {
  const customFormats = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  tokenize(xml, {
    open(name, tag, selfClosing) {
      if (name === 'numFmt') {
        const attributes = tagAttributes(tag);
        const id = Number.parseInt(attributes.numFmtId ?? '', 10);
        if (Number.isInteger(id)) customFormats.set(id, attributes.formatCode ?? '');
      } else if (name === 'cellXfs') {
        inCellXfs = !selfClosing;
      } else if (name === 'xf' && inCellXfs) {
        const id = Number.parseInt(tagAttributes(tag).numFmtId ?? '0', 10);
        formatIds.push(Number.isInteger(id) ? id : 0);
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text: ignoreText,
  });
  return formatIds.map((id) => {
    const custom = customFormats.get(id);
    return custom !== undefined ? isDateFormat(custom) : isBuiltInDateFormat(id);
  });
}

/**
 * Collects xl/sharedStrings.xml, fed chunk by chunk: each `<si>` is its `<t>`, or the `<t>` of its rich
 * text runs joined; phonetic runs (`<rPh>`, Japanese readings) are not part of the text.
 */
export class SharedStrings implements XmlEvents {
  readonly strings: string[] = [];
  private readonly tokenizer = new XmlTokenizer(this);
  private inItem = false;
  private phonetic = 0;
  private collecting = false;
  private raw = '';

  write(chunk: string): void {
    this.tokenizer.write(chunk);
  }

  end(): string[] {
    this.tokenizer.end();
    return this.strings;
  }

  open(name: string, _tag: string, selfClosing: boolean): void {
    if (name === 'si') {
      if (selfClosing) {
        this.strings.push('');
      } else {
        this.inItem = true;
        this.raw = '';
      }
    } else if (name === 'rPh') {
      if (!selfClosing) this.phonetic++;
    } else if (name === 't') {
      this.collecting = !selfClosing && this.inItem && this.phonetic === 0;
    }
  }

  close(name: string): void {
    if (name === 't') {
      this.collecting = false;
    } else if (name === 'rPh') {
      this.phonetic--;
    } else if (name === 'si') {
      this.inItem = false;
      this.strings.push(detach(decodeXmlText(this.raw)));
      this.raw = '';
    }
  }

  text(raw: string): void {
    if (!this.collecting) return;
    this.raw += raw;
    if (this.raw.length > MAX_TEXT_CHARS) throw new XlsxPartError('corrupt', 'shared string too long');
  }
}
