import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HubConfig } from '../../config/config';
import type { Logger } from '../../shared/logger';
import { mountErrorsCsvRoute } from './errors-csv.route';
import type { UploadQuota } from './upload-quota';
import { mountUploadRoute, type UploadOptions } from './upload.route';

export type ImportRouteOptions = UploadOptions;

export function importRouteOptions(config: Pick<HubConfig, 'maxUploadBytes' | 'importDir'>, quota?: UploadQuota): ImportRouteOptions {
  return { maxUploadBytes: config.maxUploadBytes, importDir: config.importDir, quota };
}

/** The HTTP side of imports: the upload (POST /imports) and the errors download (GET /imports/:id/errors.csv). */
export function mountImportRoutes(app: express.Express, orm: MikroORM, log: Logger, options: ImportRouteOptions): void {
  mountUploadRoute(app, orm, log, options);
  mountErrorsCsvRoute(app, orm, log);
}
