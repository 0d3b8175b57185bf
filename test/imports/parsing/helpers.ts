/** Shared helpers of the import parsing tests. */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImportFileError, parseImportFile, type ImportIssue, type ImportRecord, type ParseImportOptions, type ParsedImport } from '../../../src/imports/parsing';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'imports');
export const SECRET = 'test-secret-of-the-hub-0123456789';
export const YEARS = { min: 2015, max: 2030 };

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export type TestOptions = Partial<Omit<ParseImportOptions, 'path' | 'stream' | 'fileName'>>;

/** Parses a fixture by path and reads all records. */
export async function parseFixture(relativePath: string, options: TestOptions = {}): Promise<{ parsed: ParsedImport; records: ImportRecord[] }> {
  const path = fixture(relativePath);
  const parsed = await parseImportFile({ path, fileName: relativePath.split('/').pop()!, secret: SECRET, allowedYears: YEARS, ...options });
  return { parsed, records: await readAll(parsed) };
}

/** Parses text or bytes given in the test through the stream input. */
export async function parseContent(
  fileName: string,
  content: string | Buffer,
  options: TestOptions = {},
): Promise<{ parsed: ParsedImport; records: ImportRecord[] }> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const parsed = await parseImportFile({ stream: Readable.from([bytes]), fileName, secret: SECRET, allowedYears: YEARS, ...options });
  return { parsed, records: await readAll(parsed) };
}

export async function readAll(parsed: ParsedImport): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for await (const record of parsed.records) records.push(record);
  return records;
}

/** The file-level issue an operation fails with (the test fails when it does not fail that way). */
export async function fileError(operation: Promise<unknown>): Promise<ImportIssue> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof ImportFileError) return error.issue;
    throw error;
  }
  throw new Error('Expected an ImportFileError, but the operation succeeded');
}

/** The fields of an issue tests assert exactly. */
export function brief(issue: ImportIssue): Pick<ImportIssue, 'code' | 'row' | 'column' | 'value'> {
  return { code: issue.code, row: issue.row, column: issue.column, value: issue.value };
}
