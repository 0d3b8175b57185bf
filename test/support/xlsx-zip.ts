/** Hand-made XLSX files for tests: a minimal zip writer and a workbook of one sheet, every part overridable. */
import { deflateRawSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ZipPart {
  name: string;
  content: string | Buffer;
  /** 8 (default) deflates, 0 stores. Other values are written as given, with the content stored. */
  method?: number;
  /** Replaces the compressed bytes written (to corrupt them). */
  data?: Buffer;
  /** Replaces the uncompressed size the central directory claims. */
  claimedSize?: number;
  /** An extra field in the local header only (the central one has none). */
  localExtra?: Buffer;
}

/** A minimal zip writer: local headers, data, central directory, end record. */
export function zip(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const content = typeof part.content === 'string' ? Buffer.from(part.content, 'utf8') : part.content;
    const method = part.method ?? 8;
    const data = part.data ?? (method === 8 ? deflateRawSync(content) : content);
    const name = Buffer.from(part.name, 'utf8');
    const extra = part.localExtra ?? Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(content), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc32(content), 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(part.claimedSize ?? content.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    chunks.push(local, name, extra, data);
    offset += local.length + name.length + extra.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

export const MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
export const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
export const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${MAIN_NS} ${REL_NS}><dimension ref="A1"/><sheetData>${rows}</sheetData></worksheet>`;
}

export interface BookOptions {
  /** Worksheet XML of sheet1.xml (the one sheet, «Лист1», unless `workbook` says otherwise). */
  sheet: string;
  sharedStrings?: string[];
  /** Raw <si> items instead of plain strings. */
  sharedItems?: string;
  styles?: string;
  workbook?: string;
  relationships?: string;
  sheetPart?: Partial<ZipPart>;
  extra?: ZipPart[];
}

export function book(options: BookOptions): ZipPart[] {
  const items = options.sharedItems ?? (options.sharedStrings ?? []).map((text) => `<si><t xml:space="preserve">${text}</t></si>`).join('');
  return [
    { name: '[Content_Types].xml', content: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    {
      name: 'xl/workbook.xml',
      content: options.workbook ?? `<?xml version="1.0"?><workbook ${MAIN_NS} ${REL_NS}><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content:
        options.relationships ??
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId8" Type="${REL_TYPE}/sharedStrings" Target="sharedStrings.xml"/>` +
          `<Relationship Id="rId9" Type="${REL_TYPE}/styles" Target="styles.xml"/></Relationships>`,
    },
    { name: 'xl/sharedStrings.xml', content: `<?xml version="1.0"?><sst ${MAIN_NS}>${items}</sst>` },
    ...(options.styles !== undefined ? [{ name: 'xl/styles.xml', content: options.styles }] : []),
    { name: 'xl/worksheets/sheet1.xml', content: options.sheet, ...options.sheetPart },
    ...(options.extra ?? []),
  ];
}

