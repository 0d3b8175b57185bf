/**
 * Issue «Hardening the API surface», item 5: a file with an error in every row stores a bounded number of row
 * errors (the rest counted, the report saying so), and row errors expire with their batch.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowErrorStore } from '../../src/imports/batch/row-errors';
import { ImportBatchRunner } from '../../src/imports/loading/import-batch-runner';
import { createLogger } from '../../src/shared/logger';
import { ImportHarness } from '../imports/support/import-harness';

describe('row errors kept per batch', () => {
  let hub: ImportHarness;
  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  it('stores the first ones up to the cap, counts all, says so, and lets them expire with the batch', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => `sch66${String(9000 + i)};Район;Школа;${20001 + i};4А;1;1;2;1;2;3;9;5;5`);
    const path = join(mkdtempSync(join(tmpdir(), 'msoko-row-errors-')), 'every-row-wrong.csv');
    writeFileSync(path, ['ВПР 2024 Математика 4 класс', ';;;;;Уровень;Б;Б;П;Б;В;;;', 'ОО;Муниципалитет;Название ОО;Код участника;Класс;Вариант;1 (1б);2 (2б);3.1 (1б);3.2 (2б);4 (3б);Первичный балл;Отметка;Отметка по журналу', ...rows].join('\n'));
    const uploaded = await hub.upload(path);
    const started = await hub.start(uploaded.body.id);
    expect(started.errors).toBeUndefined();
    if (started.data!.startImport.status === 'QUEUED') {
      const settings = { participantCodeSecret: 'test-secret-of-the-hub-0123456789', maxFileBytes: 10 * 1024 * 1024, rebuildMinRows: 50_000, maxStoredRowErrors: 250 };
      await new ImportBatchRunner(hub.knex, hub.gateway, createLogger('silent'), settings).run(Number(uploaded.body.id), () => undefined);
    }
    const batch = await hub.batch(uploaded.body.id);
    expect(batch.status).toBe('REJECTED');
    expect(batch.counts.errors).toBe(600);
    expect(await hub.sql(`select count(*)::int as n from import_row_error where batch_id = ?`, [Number(uploaded.body.id)])).toEqual([{ n: 250 }]);
    expect(batch.report.notes.join(' ')).toMatch(/Сохранены первые 250 из 600/);

    await hub.sql(`update import_batch set created_at = created_at - interval '100 days', started_at = started_at - interval '100 days', finished_at = finished_at - interval '100 days' where id = ?`, [Number(uploaded.body.id)]);
    expect(await new RowErrorStore(hub.knex).expire(90 * 86_400_000)).toBe(250);
    expect(await hub.sql(`select count(*)::int as n from import_row_error`)).toEqual([{ n: 0 }]);
    expect((await hub.batch(uploaded.body.id)).counts.errors).toBe(600);
  });
});
