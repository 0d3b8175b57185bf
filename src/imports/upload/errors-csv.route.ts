/**
 * GET /imports/:id/errors.csv — every row error and warning of a batch, for the operator to open in Excel:
 * UTF-8 with BOM, «;» between columns, streamed page by page.
 */
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { authenticateRequest } from '../../auth/request-auth';
import type { Logger } from '../../shared/logger';
import { ImportBatchStore } from '../batch/import-batch.store';
import { RowErrorStore, type RowErrorRow } from '../batch/row-errors';
import { assertImporter } from '../import-access';
import { sendError, sendFailure } from './http-errors';

const ERROR_CSV_HEADER = ['Файл', 'Лист', 'Строка', 'Столбец', 'Ячейка', 'Значение', 'Код', 'Вид', 'Сообщение'];

/**
 * A CSV field: quoted when needed; text that Excel would run as a formula (=, +, @, or - not followed by a
 * number) gets a leading apostrophe, because values come from uploaded files.
 */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-\d+([.,]\d+)?$/.test(text))) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function errorCsvLine(row: RowErrorRow): string {
  return [row.file, row.sheet, row.row_number, row.column_header, row.cell, row.value, row.code, row.severity === 'ERROR' ? 'ошибка' : 'предупреждение', row.message_ru]
    .map(csvField)
    .join(';');
}

export function mountErrorsCsvRoute(app: express.Express, orm: MikroORM, log: Logger): void {
  app.get('/imports/:id/errors.csv', async (req, res) => {
    try {
      const em = orm.em.fork();
      const principal = await authenticateRequest(em, req.headers);
      assertImporter(principal);
      const id = Number(req.params.id);
      const batch = Number.isSafeInteger(id) && id > 0 ? await new ImportBatchStore(em.getKnex()).findVisible(id, principal) : null;
      if (!batch) {
        sendError(res, 404, 'NOT_FOUND', `Пакет загрузки ${req.params.id} не найден`);
        return;
      }
      res.setHeader('content-disposition', `attachment; filename="import-${batch.id}-errors.csv"`);
      res.type('text/csv; charset=utf-8');
      res.write(`\ufeff${ERROR_CSV_HEADER.join(';')}\r\n`);
      for await (const page of new RowErrorStore(em.getKnex()).all(batch.id)) {
        const ok = res.write(`${page.map(errorCsvLine).join('\r\n')}\r\n`);
        if (!ok) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch (error) {
      if (res.headersSent) {
        log.error({ err: error }, 'import errors CSV broke off');
        res.destroy();
        return;
      }
      sendFailure(res, error, log, 'import errors CSV');
    }
  });
}
