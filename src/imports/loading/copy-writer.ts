/**
 * COPY FROM STDIN into a staging table, fed by the parser as it reads. Writes wait for the server when its
 * buffer is full (backpressure), so memory stays flat for millions of rows. The COPY can be ended and reopened
 * between batches, because the transaction's connection can run nothing else while a COPY is open (e.g. to
 * create an assessment the next rows refer to).
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { arrayLiteral, copyText } from '../../shared/sql';

/** A value as COPY's text format writes it. */
export type CopyValue = string | number | boolean | null | readonly (string | number | null)[] | Record<string, unknown>;

/** A cell in COPY's text format: \N for NULL (and for non-finite numbers), arrays as literals, objects as JSON. */
export function copyValue(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'string') return copyText(value);
  if (Array.isArray(value)) return copyText(arrayLiteral(value));
  return copyText(JSON.stringify(value));
}

export class CopyWriter {
  private stream: CopyStreamQuery | null = null;
  private failure: Error | null = null;
  rows = 0;

  constructor(
    private readonly client: ClientBase,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  /** Writes complete lines (each ending with \n); opens the COPY when none is open. */
  async write(lines: string, count: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (lines === '') return;
    const stream = (this.stream ??= this.open());
    this.rows += count;
    if (!stream.write(lines)) await once(stream, 'drain');
    if (this.failure) throw this.failure;
  }

  /** Ends the open COPY (if any) and waits until the server has taken every row. */
  async pause(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    stream.end();
    await finished(stream);
    if (this.failure) throw this.failure;
  }

  private open(): CopyStreamQuery {
    const stream = this.client.query(copyFrom(`copy ${this.table} (${this.columns.join(', ')}) from stdin`));
    stream.on('error', (error: Error) => (this.failure ??= error));
    return stream;
  }
}
