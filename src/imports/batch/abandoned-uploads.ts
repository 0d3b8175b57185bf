/**
 * Uploads nobody imported. A file waits on disk between POST /imports and startImport; it may carry personal
 * data (ГИА protocols hold names until they are parsed), so it must not wait forever: a batch still UPLOADED
 * after the retention period is cancelled and its file removed, the file a finished batch kept for a re-run
 * (kept-files.ts) is removed once the batch finished that long ago, and files in the import directory that no
 * batch refers to (an upload cut off before its batch was written) are removed once as old.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from '../../shared/logger';
import { arrayLiteral } from '../../shared/sql';
import { expireUndo } from '../undo/expire-undo';
import { removeUpload } from '../upload/upload-store';
import { removeExpiredKeptFiles } from './kept-files';
import { RowErrorStore } from './row-errors';

export interface SweepOutcome {
  cancelledBatches: number;
  /** Files of finished batches kept for a re-run (rerunImport), past the retention. */
  removedKeptFiles: number;
  removedOrphans: number;
}

export async function sweepAbandonedUploads(knex: Knex, importDir: string, retentionMs: number, log: Logger): Promise<SweepOutcome> {
  const hours = Math.round(retentionMs / 3_600_000);
  const { rows } = await knex.raw(
    `with abandoned as (
       select id, stored_path from import_batch
       where status = 'UPLOADED' and created_at < now() - make_interval(secs => ?) for update skip locked)
     update import_batch b set status = 'CANCELLED', finished_at = now(), stored_path = null,
       message_ru = ?
     from abandoned where b.id = abandoned.id
     returning b.id, abandoned.stored_path`,
    [retentionMs / 1000, `Загрузка отменена: импорт не был запущен за ${hours} ч, файл удалён.`],
  );
  for (const row of rows as { id: number; stored_path: string | null }[]) await removeUpload(row.stored_path);
  const removedKeptFiles = await removeExpiredKeptFiles(knex, retentionMs);

  let removedOrphans = 0;
  const names = await readdir(importDir).catch(() => [] as string[]);
  const uploads = names.filter((name) => name.endsWith('.upload')).map((name) => join(importDir, name));
  if (uploads.length > 0) {
    const { rows: referenced } = await knex.raw(`select stored_path from import_batch where stored_path = any(?::text[])`, [arrayLiteral(uploads)]);
    const kept = new Set((referenced as { stored_path: string }[]).map((row) => row.stored_path));
    for (const path of uploads) {
      if (kept.has(path)) continue;
      const info = await stat(path).catch(() => null);
      // Young files may be uploads still arriving, whose batch is written when they are complete.
      if (!info || Date.now() - info.mtimeMs < retentionMs) continue;
      await removeUpload(path);
      removedOrphans++;
    }
  }
  if (rows.length > 0 || removedKeptFiles > 0 || removedOrphans > 0) log.info({ cancelledBatches: rows.length, removedKeptFiles, removedOrphans }, 'abandoned uploads removed');
  return { cancelledBatches: rows.length, removedKeptFiles, removedOrphans };
}

/**
 * Sweeps now and then every hour, in the background: abandoned uploads, the row errors of batches
 * finished longer ago than `rowErrorRetentionMs` (IMPORT_ERRORS_RETENTION_DAYS), and undo data past its undo_until
 * (IMPORT_UNDO_DAYS). Returns the function that stops it.
 */
export function startUploadSweeper(knex: Knex, importDir: string, retentionMs: number, log: Logger, intervalMs = 3_600_000, rowErrorRetentionMs = 90 * 86_400_000): () => void {
  const sweep = () => {
    void sweepAbandonedUploads(knex, importDir, retentionMs, log).catch((err) => log.warn({ err: (err as Error).message }, 'sweeping abandoned uploads failed'));
    void new RowErrorStore(knex)
      .expire(rowErrorRetentionMs)
      .then((removed) => removed > 0 && log.info({ removed }, 'expired row errors removed'))
      .catch((err) => log.warn({ err: (err as Error).message }, 'removing expired row errors failed'));
    void expireUndo(knex)
      .then((expired) => expired > 0 && log.info({ batches: expired }, 'expired import undo data removed'))
      .catch((err) => log.warn({ err: (err as Error).message }, 'removing expired import undo data failed'));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
