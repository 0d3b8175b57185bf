/**
 * "The same file twice changes nothing": a file whose bytes (sha256) and import options match a finished
 * import of the same scope is recognised, as long as no later import has since replaced part of what that
 * one wrote (then sending the file again is a real correction and runs).
 */
import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { removeUpload } from '../upload/upload-store';
import { ImportBatchStore } from './import-batch.store';
import { ImportStatus } from './import-status';

/** JSON with keys sorted at every level, so equal options always give the same digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Digest of everything besides the file that decides what an import does. */
export function optionsDigest(options: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(options)).digest('hex');
}

export interface SameFileKey {
  batchId: number;
  sha256: string;
  optionsDigest: string;
  regionId: number | null;
}

/**
 * The earlier batch this one repeats, or null. A re-run (rerunImport) repeats nothing: it is asked for because the hub's
 * data changed since the batch it re-runs (an alias confirmed, a scale loaded).
 */
export async function findSameImport(knex: Knex, key: SameFileKey): Promise<number | null> {
  const { rows } = await knex.raw(
    `select p.id from import_batch p
     where p.status = 'DONE' and p.duplicate_of is null and p.id <> ?
       and not exists (select 1 from import_batch r where r.id = ? and r.rerun_of is not null)
       and p.file_sha256 = ? and p.options_digest = ? and p.region_id is not distinct from ?
       and not exists (
         select 1 from import_batch q
         where q.status = 'DONE' and q.duplicate_of is null and q.id <> p.id and q.finished_at > p.finished_at
           and q.record_kind = p.record_kind
           and (q.affected_school_ids && p.affected_school_ids or q.affected_assessment_ids && p.affected_assessment_ids))
     order by p.finished_at desc limit 1`,
    [key.batchId, key.batchId, key.sha256, key.optionsDigest, key.regionId],
  );
  return rows[0]?.id ?? null;
}

/** Finishes a batch that repeats `original`: DONE, nothing changed, the upload removed. */
export async function concludeAsRepeat(knex: Knex, batchId: number, original: number, storedPath: string | null): Promise<void> {
  const store = new ImportBatchStore(knex);
  const source = await store.get(original);
  await store.finish(batchId, {
    status: ImportStatus.DONE,
    messageRu: `Этот файл с теми же параметрами уже загружен (пакет № ${original}): данные не изменены.`,
    duplicateOf: original,
    layout: source?.layout ?? null,
    recordKind: source?.record_kind ?? null,
    rowsRead: source?.rows_read ?? 0,
  });
  await removeUpload(storedPath);
  await store.forgetFile(batchId);
}
