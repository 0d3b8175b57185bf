import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { authenticateRequest } from '../../auth/request-auth';
import { Role } from '../../shared/role';
import { municipalityScope, regionScope } from '../../auth/scope';
import { ZoneLevel } from '../../risk/markers';
import { SchoolType } from '../../territory/enums';
import { Municipality } from '../../territory/municipality.entity';
import { SchoolService } from '../../schools/school.service';
import type { Logger } from '../../shared/logger';
import { esc, page } from '../html';
import { municipalityPage } from './municipality-page';
import { territoryBunchingTable } from './territory-bunching-table';
import { territoryBunching } from '../../risk';
import { Region } from '../../territory/region.entity';
import { schoolPage } from './school-page';

const DEFAULT_YEAR = () => new Date().getFullYear() - 1;

function yearOf(query: unknown): number {
  const year = Number(query);
  return Number.isInteger(year) && year > 2000 && year < 2100 ? year : DEFAULT_YEAR();
}

/**
 * Server-rendered report pages, under the same keys and scopes as the API: /pages (index),
 * /pages/municipalities/:code, /pages/schools/:code. Out of scope and unknown answer the same 404, so a key
 * cannot learn what exists beyond its scope; no key → sign-in.
 */
export function mountPages(app: express.Express, orm: MikroORM, log: Logger): void {
  const handle = (render: (req: express.Request, res: express.Response) => Promise<void>) => async (req: express.Request, res: express.Response) => {
    try {
      await render(req, res);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      log.error({ err: error, path: req.path }, 'report page failed');
      res.status(500).type('html').send(page('Ошибка', '<h1>Внутренняя ошибка</h1><p>Подробности записаны в журнал.</p>'));
    }
  };
  const refuse = (res: express.Response, status: 403 | 404, message: string) => res.status(status).type('html').send(page(status === 403 ? 'Нет доступа' : 'Не найдено', `<h1>${status === 403 ? 'Нет доступа' : 'Не найдено'}</h1><p>${esc(message)}</p>`));

  app.get('/pages', handle(async (req, res) => {
    const em = orm.em.fork();
    const principal = await authenticateRequest(em, req.headers);
    const year = yearOf(req.query.year);
    if (principal.role === Role.SCHOOL) {
      const [school] = (await new SchoolService(em, principal).list(null, 1)).nodes;
      res.redirect(303, `/pages/schools/${school.id}?year=${year}`);
      return;
    }
    const municipalities = await em.find(Municipality, municipalityScope(principal), { orderBy: { code: 'asc' } });
    // The region's own histograms: a pile-up common to the whole region shows here and nowhere else.
    const regions = await em.find(Region, regionScope(principal), { orderBy: { code: 'asc' } });
    const sections = await Promise.all(
      regions.map(async (r) => territoryBunchingTable(`region-bunching-${r.code}`, `${r.name}: скопление работ у границ отметок по региону, ${year}`, (await territoryBunching(em, principal, r.id, year, null)).filter((v) => v.level === 'REGION'))),
    );
    res.type('html').send(page('Отчёты', `<h1>Отчёты</h1><ul>${municipalities.map((m) => `<li><a href="/pages/municipalities/${esc(m.code)}?year=${year}">${esc(m.name)}</a></li>`).join('')}</ul>${sections.join('')}`));
  }));

  app.get('/pages/municipalities/:code', handle(async (req, res) => {
    const em = orm.em.fork();
    const principal = await authenticateRequest(em, req.headers);
    const code = String(req.params.code);
    if (principal.role === Role.SCHOOL) return void refuse(res, 403, 'Ключу ОО доступна только страница своей школы');
    const municipality = (await em.find(Municipality, { $and: [{ code }, municipalityScope(principal)] }))[0];
    if (!municipality) return void refuse(res, 404, `Муниципалитет ${code} не найден`);
    const zone = String(req.query.zone ?? '');
    const type = String(req.query.type ?? '');
    const html = await municipalityPage(em, principal, municipality, {
      year: yearOf(req.query.year),
      minZone: (Object.values(ZoneLevel) as string[]).includes(zone) ? (zone as ZoneLevel) : null,
      type: (Object.values(SchoolType) as string[]).includes(type) ? (type as SchoolType) : null,
    });
    res.type('html').send(html);
  }));

  app.get('/pages/schools/:code', handle(async (req, res) => {
    const em = orm.em.fork();
    const principal = await authenticateRequest(em, req.headers);
    const code = String(req.params.code);
    // Any code of the school (an all-digit ИНН or РЦОИ code too) first; a hub id when no code matches.
    const service = new SchoolService(em, principal);
    const school = (await service.findByCode(code)) ?? (/^\d{1,9}$/.test(code) ? await service.findById(Number(code)) : null);
    if (!school) return void refuse(res, 404, `ОО с кодом ${code} не найдена`);
    res.type('html').send(await schoolPage(em, principal, school, yearOf(req.query.year)));
  }));
}
