import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { authenticateRequest } from '../../auth/request-auth';
import { Municipality } from '../../territory/municipality.entity';
import type { Logger } from '../../shared/logger';
import { planCsv, planXlsx } from './plan-export';
import { PlanService } from './plan.service';

const STATUS_BY_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/**
 * GET /export/municipal-plan?municipality=<code>&year=<year>&format=xlsx|csv — the municipal road map with
 * the seeds' columns, grouped by section. Same keys and scopes as the API.
 */
export function mountPlanExport(app: express.Express, orm: MikroORM, log: Logger): void {
  app.get('/export/municipal-plan', async (req, res) => {
    try {
      const em = orm.em.fork();
      const principal = await authenticateRequest(em, req.headers);
      const code = String(req.query.municipality ?? '');
      const year = Number(req.query.year);
      const format = String(req.query.format ?? 'xlsx');
      if (!code || !Number.isInteger(year) || !['xlsx', 'csv'].includes(format)) {
        res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'Укажите municipality=<код>, year=<год> и format=xlsx|csv' } });
        return;
      }
      const plan = await new PlanService(em, principal, req.socket.remoteAddress ?? null).municipalPlan(code, year);
      if (!plan) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: `Плана муниципалитета ${code} на ${year} год нет` } });
        return;
      }
      const municipality = await em.findOneOrFail(Municipality, { code });
      const title = `План (дорожная карта) мероприятий по обеспечению объективности оценочных процедур и повышению качества образования: ${municipality.name}, ${year}/${year + 1} учебный год`;
      const fileName = `plan-${code}-${year}.${format}`;
      res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8').send(planCsv(title, plan));
      } else {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await planXlsx(title, plan));
      }
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? '') : '';
      if (STATUS_BY_CODE[code]) {
        res.status(STATUS_BY_CODE[code]).json({ error: { code, message: (error as Error).message } });
        return;
      }
      log.error({ err: error }, 'plan export failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Внутренняя ошибка сервера' } });
    }
  });
}
