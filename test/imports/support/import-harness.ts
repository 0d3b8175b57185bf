/**
 * The hub as an import client sees it: a real HTTP server (upload route, GraphQL, errors CSV) over a test
 * database, real Redis queues under the file's own prefix, and real workers in this process (or none, when a
 * test runs its worker as a child process). Reference data matches the import fixtures (region 66).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { keepsFileForRerun } from '../../../src/imports/batch/kept-files';
import { JobGateway } from '../../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../../src/jobs/queues';
import { closeWorkers } from '../../../src/jobs/workers';
import { startWorkers } from '../../../src/app/workers';
import { createHubServer, type HubServer } from '../../../src/app/http-server';
import { ApiKeyService } from '../../../src/auth/api-key.service';
import { Role } from '../../../src/shared/role';
import { createLogger } from '../../../src/shared/logger';
import type { School } from '../../../src/territory/school.entity';
import { TestData } from '../../support/builders';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { TEST_REDIS_URL } from '../../support/env';
import { deleteQueueKeys, testQueuePrefix } from '../../support/redis';
import { until } from '../../support/processes';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'imports');
export const fixture = (relative: string): string => join(FIXTURES, relative);

export type KeyName = 'admin' | 'importer' | 'otherImporter' | 'analyst';

export interface GraphQLResponse {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

export interface HarnessOptions {
  maxUploadBytes?: number;
  /** Run the workers in this process (default); false when a test starts its own worker process. */
  workers?: boolean;
  /** A Redis of the test's own (one it stops and restarts); the shared test Redis by default. */
  redisUrl?: string;
  /** false: a fresh hub — no regions, schools or keys but the administrator's (onboarding). */
  seed?: boolean;
}

const BATCH_FIELDS = `id status fileName fileSize fileSha256 layout layoutRequested recordKind policy maxErrorShare actor messageRu duplicateOf attempts
  affectedYears affectedSchools errorsCsvPath createdAt startedAt finishedAt
  constants { procedure year subjectName grade session }
  progress { stage rows errors }
  counts { rowsRead accepted rejected skipped inserted replaced errors warnings }
  timings { parseMs validateMs mergeMs totalMs }
  fileError { code messageRu sheet row column value }
  report { format encoding separator sheet headerRow title procedure year subjectName grade personalColumnsDropped personalColumnHeaders ignoredColumns notes }
  job { id queue name } recomputeJobs { id queue name }`;

export class ImportHarness {
  readonly keys = {} as Record<KeyName, string>;
  readonly schools = {} as Record<string, School>;
  baseUrl = '';
  private server!: HubServer;
  private workers: Worker[] = [];
  private redis!: IORedis;
  queues!: HubQueues;
  gateway!: JobGateway;
  readonly prefix = testQueuePrefix();

  private constructor(
    readonly db: TestDatabase,
    readonly importDir: string,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<ImportHarness> {
    const db = await createTestDatabase();
    const harness = new ImportHarness(db, await mkdtemp(join(tmpdir(), 'msoko-imports-')));
    await harness.init(options);
    return harness;
  }

  private async init(options: HarnessOptions): Promise<void> {
    const log = createLogger('silent');
    this.redis = new IORedis(options.redisUrl ?? TEST_REDIS_URL, { maxRetriesPerRequest: null });
    // A test that stops its own Redis expects connection errors; they are not the test's outcome.
    if (options.redisUrl) this.redis.on('error', () => undefined);
    this.queues = createQueues(this.redis, this.prefix);
    this.gateway = new JobGateway(this.db.orm.em.getKnex(), this.queues, log);
    if (options.seed === false) await this.adminKeyOnly();
    else await this.seed();
    this.server = await createHubServer({
      orm: this.db.orm,
      jobs: this.gateway,
      redis: this.redis,
      log,
      queues: this.queues,
      limits: { rateLimitPerMinute: 0, queuePrefix: this.prefix },
      imports: { maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 * 1024, importDir: this.importDir },
    });
    this.baseUrl = (await this.server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    if (options.workers !== false) {
      this.workers = startWorkers({ orm: this.db.orm, connection: this.redis, prefix: this.prefix, log, gateway: this.gateway, lockMs: 5000 });
    }
  }

  private async adminKeyOnly(): Promise<void> {
    this.keys.admin = (await new ApiKeyService(this.db.orm.em.fork()).create({ name: 'import admin', role: Role.ADMIN })).key;
  }

  /** Region 66 with the schools the fixtures name, and region 77 with one school of its own. */
  private async seed(): Promise<void> {
    const data = new TestData(this.db.orm.em.fork());
    const sverdlovsk = await data.region('66', 'Свердловская область');
    const kamensk = await data.municipality(sverdlovsk, '6608', 'Каменск-Уральский ГО');
    const kamenskyRayon = await data.municipality(sverdlovsk, '6620', 'Каменский МР');
    const other = await data.municipality(sverdlovsk, '6609', 'Синарский округ');
    this.schools.sch661234 = await data.school(kamensk, { login: 'sch661234', rcoi: '660123', inn: '6612001234', name: 'МАОУ «СОШ № 1»' });
    this.schools.sch661235 = await data.school(kamensk, { login: 'sch661235', rcoi: '660124', name: 'МАОУ «СОШ № 2»' });
    this.schools.sch661301 = await data.school(kamenskyRayon, { login: 'sch661301', name: 'МКОУ «Колчеданская ООШ»', urban: false });
    this.schools.sch661302 = await data.school(other, { login: 'sch661302', rcoi: '660201', name: 'МАОУ «СОШ № 40»' });
    const moscow = await data.region('77', 'Другая область');
    const district = await data.municipality(moscow, '7701', 'Район 1');
    this.schools.sch771001 = await data.school(district, { login: 'sch771001', rcoi: '770001', name: 'Школа другого региона' });
    const keys = new ApiKeyService(this.db.orm.em.fork());
    this.keys.admin = (await keys.create({ name: 'import admin', role: Role.ADMIN })).key;
    this.keys.importer = (await keys.create({ name: 'РЦОИ 66', role: Role.REGIONAL_IMPORTER, regionCode: '66' })).key;
    this.keys.otherImporter = (await keys.create({ name: 'РЦОИ 77', role: Role.REGIONAL_IMPORTER, regionCode: '77' })).key;
    this.keys.analyst = (await keys.create({ name: 'МОУО', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6608' })).key;
  }

  get knex() {
    return this.db.orm.em.getKnex();
  }

  async sql<T = any>(query: string, bindings: readonly unknown[] = []): Promise<T[]> {
    return (await this.knex.raw(query, bindings as never)).rows;
  }

  /** Until the recomputes the imports asked for (aggregates → risk → recommendations) have all run. */
  async waitForJobs(timeoutMs = 60_000): Promise<void> {
    const open = async () => (await this.sql<{ n: number }>(`select count(*)::int as n from job_request where state in ('PENDING', 'DISPATCHED')`))[0].n;
    await until(async () => (await open()) === 0, timeoutMs, 'the recompute jobs to finish');
  }

  async gql(query: string, variables: Record<string, unknown> = {}, key: KeyName = 'admin'): Promise<GraphQLResponse> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.keys[key]}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  }

  /** POST /imports with the file as the body (or as multipart/form-data). */
  async upload(path: string, key: KeyName | null = 'admin', options: { name?: string; multipart?: boolean } = {}): Promise<{ status: number; body: any }> {
    const bytes = readFileSync(path);
    const name = options.name ?? basename(path);
    const headers: Record<string, string> = key ? { authorization: `Bearer ${this.keys[key]}` } : {};
    let body: Buffer | FormData;
    let url = `${this.baseUrl}/imports`;
    if (options.multipart) {
      const form = new FormData();
      form.append('file', new Blob([bytes]), name);
      body = form;
    } else {
      url += `?name=${encodeURIComponent(name)}`;
      headers['content-type'] = 'application/octet-stream';
      body = bytes;
    }
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, body: await response.json() };
  }

  async start(batchId: string, input: Record<string, unknown> = {}, key: KeyName = 'admin'): Promise<GraphQLResponse> {
    return this.gql(`mutation($input: StartImportInput!) { startImport(input: $input) { ${BATCH_FIELDS} } }`, { input: { batchId, ...input } }, key);
  }

  async batch(id: string, key: KeyName = 'admin'): Promise<any> {
    const result = await this.gql(`query($id: ID!) { importBatch(id: $id) { ${BATCH_FIELDS} } }`, { id }, key);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.importBatch;
  }

  /**
   * Polls the batch until it is final. The first import of a harness also starts the worker's import process
   * (compiling the parsers), which on a loaded 2-core machine took over 30 s once: the wait is generous.
   */
  async finished(id: string, key: KeyName = 'admin', timeoutMs = 90_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.batch(id, key);
      // Final, and its upload removed (the worker removes it right after the commit that makes the batch final) —
      // unless the batch keeps it for a re-run (rows refused against the hub's data: kept-files.ts).
      if (['DONE', 'FAILED', 'REJECTED', 'CANCELLED'].includes(batch.status) && (await this.fileSettled(id))) return batch;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${batch.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Upload + startImport + wait: the whole client round trip. */
  async importFile(relativeFixture: string, input: Record<string, unknown> = {}, key: KeyName = 'admin', name?: string): Promise<any> {
    const uploaded = await this.upload(fixture(relativeFixture), key, { name });
    if (uploaded.status !== 201) throw new Error(`upload failed: ${JSON.stringify(uploaded.body)}`);
    const started = await this.start(uploaded.body.id, input, key);
    if (started.errors) throw new Error(`startImport failed: ${JSON.stringify(started.errors)}`);
    return this.finished(uploaded.body.id, key);
  }

  async errors(batchId: string, key: KeyName = 'admin'): Promise<any[]> {
    const result = await this.gql(
      `query($id: ID!) { importErrors(batchId: $id, first: 500) { totalCount edges { node { severity file sheet row column cell value code messageRu } } } }`,
      { id: batchId },
      key,
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.importErrors.edges.map((edge: any) => edge.node);
  }

  private async fileSettled(id: string): Promise<boolean> {
    const [row] = await this.sql(`select stored_path, status, file_error, rows_rejected, duplicate_of from import_batch where id = ?`, [Number(id)]);
    if (!row || row.stored_path === null) return true;
    return keepsFileForRerun({ status: row.status, fileError: row.file_error, rowsRejected: row.rows_rejected, duplicateOf: row.duplicate_of });
  }

  async uploadedFiles(): Promise<string[]> {
    return readdir(this.importDir).catch(() => []);
  }

  async stop(): Promise<void> {
    await closeWorkers(this.workers);
    await this.server.stop();
    await new Promise((resolve) => this.server.httpServer.close(resolve));
    await closeQueues(this.queues);
    this.redis.disconnect();
    await deleteQueueKeys(this.prefix);
    await rm(this.importDir, { recursive: true, force: true });
    await this.db.drop();
  }
}
