import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { HubQueues } from '../jobs/queues';
import { Role } from '../shared/role';
import { authenticateRequest } from '../auth/request-auth';

const DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board's page links web fonts from Google; on a closed network that request hangs or leaks. The view is
 * copied once without that link (the UI falls back to system fonts) and the adapter renders the copy.
 */
function offlineViewsPath(): string {
  const uiDist = join(dirname(createRequire(__filename).resolve('@bull-board/ui/package.json')), 'dist');
  const dir = join(tmpdir(), `msoko-bull-board-views-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const view = readFileSync(join(uiDist, 'index.ejs'), 'utf8').replace(/<link[^>]+fonts\.(googleapis|gstatic)\.com[^>]*>/g, '');
  writeFileSync(join(dir, 'index.ejs'), view);
  return dir;
}

/** The job dashboard (Bull Board, served from node_modules): imports and recomputes, progress, failures, retry. Admins only. */
export function mountDashboard(app: express.Express, orm: MikroORM, queues: HubQueues): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Задачи хаба МСОКО' } },
  });
  adapter.setViewsPath(offlineViewsPath());
  app.use(
    DASHBOARD_PATH,
    async (req, res, next) => {
      try {
        const principal = await authenticateRequest(orm.em.fork(), req.headers);
        if (principal.role !== Role.ADMIN) {
          res.status(403).type('text/plain; charset=utf-8').send('Панель задач доступна только администратору');
          return;
        }
        next();
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
          res.redirect(303, `/login?next=${encodeURIComponent(DASHBOARD_PATH)}`);
          return;
        }
        next(error);
      }
    },
    adapter.getRouter(),
  );
}
