/**
 * bench:read — the school card over HTTP on loopback (warm, sequential, 200 runs) and the number of SQL
 * statements for a list of 100 schools with three years of results and their municipality.
 * The card is computed every time (Cache-Control: no-cache): this is the cost of the read path; the same card
 * answered by the response cache is printed on the line before.
 * Last line: school_card_p50_ms=… school_card_p95_ms=… statements_per_list=…
 */
import IORedis from 'ioredis';
import { JobGateway } from '../src/jobs/job-gateway';
import { ApiKeyService } from '../src/auth/api-key.service';
import { Role } from '../src/shared/role';
import { closeQueues, createQueues } from '../src/jobs/queues';
import { createHubServer } from '../src/app/http-server';
import { generateDemoRegion } from '../src/demo';
import { benchLog, percentile, prepareBenchDatabase, round } from './support';

const RUNS = 200;
const WARMUP = 20;

const SCHOOL_CARD = `query SchoolCard($code: String!) {
  school(code: $code) {
    id name type urban
    municipality { code name }
    aliases { kind value }
    contexts(years: [2023, 2024, 2025]) { year enrolment classes smallSchool inDepthStudy shareDisabled teachers socialIndex }
    conductConditions(years: [2023, 2024, 2025]) { year procedure observers videoAtConduct videoAtChecking collegialChecking }
    results(filter: { years: [2023, 2024, 2025] }) {
      year participants count2 count3 count4 count5 meanPercent histogram journalLowered journalConfirmed journalRaised belowMinimum meanTestScore
      markPercents { two fourAndFive }
      assessment { procedure year grade subject { code name } scale { maxPrimary markBoundaries { mark minPrimary } } }
      benchmarks { level percent2 meanPercent }
    }
  }
}`;

const SCHOOL_LIST = `{ schools(first: 100) { edges { node { name municipality { name }
  results(filter: { years: [2023, 2024, 2025] }) { year participants meanPercent assessment { procedure grade subject { code } } } } } } }`;

async function main(): Promise<void> {
  const statements: string[] = [];
  const { orm } = await prepareBenchDatabase('msoko_bench_read', generateDemoRegion(), (sql) => statements.push(sql));
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = createQueues(redis, 'msoko-bench-read');
  const server = await createHubServer({ orm, jobs: new JobGateway(orm.em.getKnex(), queues, benchLog), redis, log: benchLog });
  const { key } = await new ApiKeyService(orm.em.fork()).create({ name: 'bench:read', role: Role.ADMIN });
  const url = await server.listen(0, '127.0.0.1');
  const post = async (query: string, variables?: object, cached = false) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    if (!cached) headers['cache-control'] = 'no-cache';
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body;
  };
  try {
    const { rows } = await orm.em.getKnex().raw(
      `select a.value from school_alias a join school_result r on r.school_id = a.school_id
       where a.kind = 'FISOKO_LOGIN' group by a.value order by count(*) desc, a.value limit 1`,
    );
    const code: string = rows[0].value; // the school with the most results: the heaviest card
    for (let i = 0; i < WARMUP; i++) await post(SCHOOL_CARD, { code });
    const timings: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      await post(SCHOOL_CARD, { code });
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    timings.sort((a, b) => a - b);
    const cachedTimings: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      await post(SCHOOL_CARD, { code }, true);
      cachedTimings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    cachedTimings.sort((a, b) => a - b);
    statements.length = 0;
    await post(SCHOOL_LIST);
    const perList = statements.length;
    console.log(`school=${code} runs=${RUNS}; from the response cache: p50 ${round(percentile(cachedTimings, 50))} ms, p95 ${round(percentile(cachedTimings, 95))} ms`);
    console.log(`school_card_p50_ms=${round(percentile(timings, 50))} school_card_p95_ms=${round(percentile(timings, 95))} statements_per_list=${perList}`);
  } finally {
    await server.stop();
    await closeQueues(queues);
    redis.disconnect();
    await orm.close(true);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
