import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepAbandonedUploads } from '../../src/imports/batch/abandoned-uploads';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

const HOUR = 3_600_000;
const SHA = 'a'.repeat(64);

describe('abandoned uploads', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'msoko-sweep-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  const file = (name: string, ageMs: number): string => {
    const path = join(dir, name);
    writeFileSync(path, 'Фамилия;Имя\nИванов;Иван\n');
    const time = new Date(Date.now() - ageMs);
    utimesSync(path, time, time);
    return path;
  };
  const batch = async (path: string | null, status: string, ageMs: number): Promise<number> => {
    const { rows } = await db.orm.em.getKnex().raw(
      `insert into import_batch (actor, role, file_name, file_size, file_sha256, stored_path, status, created_at)
       values ('key:1', 'REGIONAL_IMPORTER', 'protocol.csv', 25, ?, ?, ?::import_status, now() - make_interval(secs => ?)) returning id`,
      [SHA, path, status, ageMs / 1000],
    );
    return rows[0].id;
  };

  it('cancels batches never started within the retention, removes their files and orphans, and keeps the rest', async () => {
    const oldFile = file('old.upload', 30 * HOUR);
    const old = await batch(oldFile, 'UPLOADED', 30 * HOUR);
    const freshFile = file('fresh.upload', HOUR);
    const fresh = await batch(freshFile, 'UPLOADED', HOUR);
    const queuedFile = file('queued.upload', 30 * HOUR);
    const queued = await batch(queuedFile, 'QUEUED', 30 * HOUR);
    const orphanOld = file('orphan-old.upload', 30 * HOUR);
    const orphanYoung = file('orphan-young.upload', 60_000);
    const other = file('notes.txt', 30 * HOUR);

    const outcome = await sweepAbandonedUploads(db.orm.em.getKnex(), dir, 24 * HOUR, createLogger('silent'));
    expect(outcome).toEqual({ cancelledBatches: 1, removedKeptFiles: 0, removedOrphans: 1 });
    expect([oldFile, freshFile, queuedFile, orphanOld, orphanYoung, other].map(existsSync)).toEqual([false, true, true, false, true, true]);
    const { rows } = await db.orm.em.getKnex().raw('select id, status, stored_path, message_ru from import_batch where id = any(?::int[]) order by id', [`{${old},${fresh},${queued}}`]);
    expect(rows).toEqual([
      { id: old, status: 'CANCELLED', stored_path: null, message_ru: 'Загрузка отменена: импорт не был запущен за 24 ч, файл удалён.' },
      { id: fresh, status: 'UPLOADED', stored_path: freshFile, message_ru: null },
      { id: queued, status: 'QUEUED', stored_path: queuedFile, message_ru: null },
    ]);
    expect(await sweepAbandonedUploads(db.orm.em.getKnex(), dir, 24 * HOUR, createLogger('silent'))).toEqual({ cancelledBatches: 0, removedKeptFiles: 0, removedOrphans: 0 });
  });

  it('removes the files finished batches kept for a re-run once they finished longer ago than the retention', async () => {
    const finished = async (path: string, status: string, finishedAgoMs: number): Promise<number> => {
      const id = await batch(path, status, finishedAgoMs + HOUR);
      await db.orm.em.getKnex().raw(`update import_batch set finished_at = now() - make_interval(secs => ?) where id = ?`, [finishedAgoMs / 1000, id]);
      return id;
    };
    const oldRejected = await finished(file('rejected-old.upload', 30 * HOUR), 'REJECTED', 25 * HOUR);
    const oldDone = await finished(file('done-old.upload', 30 * HOUR), 'DONE', 25 * HOUR);
    const youngRejected = await finished(file('rejected-young.upload', 2 * HOUR), 'REJECTED', HOUR);
    const outcome = await sweepAbandonedUploads(db.orm.em.getKnex(), dir, 24 * HOUR, createLogger('silent'));
    expect(outcome).toEqual({ cancelledBatches: 0, removedKeptFiles: 2, removedOrphans: 0 });
    expect(['rejected-old.upload', 'done-old.upload', 'rejected-young.upload'].map((name) => existsSync(join(dir, name)))).toEqual([false, false, true]);
    const { rows } = await db.orm.em.getKnex().raw('select id, status, stored_path from import_batch where id = any(?::int[]) order by id', [`{${oldRejected},${oldDone},${youngRejected}}`]);
    expect(rows).toEqual([
      { id: oldRejected, status: 'REJECTED', stored_path: null },
      { id: oldDone, status: 'DONE', stored_path: null },
      { id: youngRejected, status: 'REJECTED', stored_path: join(dir, 'rejected-young.upload') },
    ]);
  });
});
