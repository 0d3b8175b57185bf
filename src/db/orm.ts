import 'reflect-metadata';
import { DataloaderType } from '@mikro-orm/core';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from '../../migrations';
import { ENTITIES } from './entities';

export interface OrmOptions {
  databaseUrl: string;
  statementTimeoutMs?: number;
  /** Receives every SQL statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

/** Connections per process unless a process asks for more (a worker's running jobs hold one each for their run lock). */
export const DEFAULT_POOL_MAX = 10;

function ormConfig(options: OrmOptions): Options {
  return defineConfig({
    clientUrl: options.databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    dataloader: DataloaderType.ALL,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: options.poolMax ?? DEFAULT_POOL_MAX },
    driverOptions: options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : undefined,
    // Only SQL statements reach onQuery, one message each, without colour codes.
    debug: options.onQuery ? ['query'] : false,
    colors: false,
    logger: options.onQuery ? (message: string) => message.startsWith('[query]') && options.onQuery!(message) : undefined,
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
      snapshot: false,
      path: 'migrations',
    },
  });
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

export type { MikroORM };
