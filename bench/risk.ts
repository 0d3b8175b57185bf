/**
 * bench:risk — the risk methodology judged on regions it was not tuned on (bench/robustness: a simulation model of
 * its own, not src/demo's). Each region of the sweep is simulated with manipulations planted in 15 % of schools,
 * written as the import files a regional centre sends, imported through the hub's real path (HTTP upload →
 * worker → aggregates), recomputed by the worker (one full recompute, timed, then one school's recompute five
 * times) and its zones read back and scored per school-year against the ground truth (bench/robustness/score.ts).
 *
 * The sweep (default, one factor at a time around the base setting leniency 0.2 / tiny 0.3 / task 0.3 / turnover 0 /
 * drift 0): leniency spread 0.05, 0.2, 0.4; share of tiny schools 0.3, 0.6; school × task effect SD 0.3, 0.6; teacher
 * turnover 0, 0.5 a year; drift of a school's grading leniency 0, 0.1 of a mark a year; share of schools that really
 * change level in one year 0, 0.1 — eight regions of 1,000 schools × 3 years, each with ВПР in grades 4, 5 and 8 and the ОГЭ of grade 9 (the same pupils as grade 8 a year
 * before). Flags: --schools=N, --leniency=a,b,c, --tiny=a,b, --task=a,b, --turnover=a,b, --drift=a,b, --change=a,b, --no-gia (ВПР 4
 * and 5 only, the sweep as it was before 2026-12-08), --grid (every combination instead of one factor at a time), --seed=N, --keep (keep the databases msoko_bench_robust_* and their manifests),
 * --reuse (recompute and score the kept databases again in this process, without simulating or importing — for
 * judging a change of the methodology; its timings are not the benchmark's).
 *
 * Last line: full_recompute_s=… school_recompute_ms=… precision=… recall=… clean_fpr=… watch_share=… insufficient_share=…
 * bunching_recall=… bunching_tiny_recall=… — each quality figure the worst over the sweep (the two bunching figures
 * pooled over it: a region has only a few medium boundary plants); timings from the first region of the largest size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../src/config/config';
import { createOrm, migrate } from '../src/db/orm';
import { DEFAULT_MODEL, simulateRegion, type ModelSettings } from './robustness/model';
import { writeRegionFiles, type Manifest } from './robustness/files';
import { recomputeKept, runThroughHub } from './robustness/pipeline';
import { formatPooled, formatScore, scoreRegion, type RobustnessScore } from './robustness/score';
import { readFile, writeFile } from 'node:fs/promises';
import { benchLog, round } from './support';
import { METHODOLOGY_VERSION } from '../src/risk/methodology/version';

interface Args {
  schools: number;
  leniency: number[];
  tiny: number[];
  task: number[];
  turnover: number[];
  drift: number[];
  change: number[];
  gia: boolean;
  grid: boolean;
  seed: number;
  keep: boolean;
  reuse: boolean;
}

function parseArgs(argv: string[]): Args {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name: string, fallback: number[]) => (flag(name) ? flag(name)!.split(',').map(Number) : fallback);
  return {
    schools: Number(flag('schools') ?? process.env.BENCH_SCHOOLS ?? 1000),
    leniency: list('leniency', [0.05, 0.2, 0.4]),
    tiny: list('tiny', [0.3, 0.6]),
    task: list('task', [0.3, 0.6]),
    turnover: list('turnover', [0, 0.5]),
    drift: list('drift', [0, 0.1]),
    change: list('change', [0, 0.1]),
    gia: !argv.includes('--no-gia'),
    grid: argv.includes('--grid'),
    seed: Number(flag('seed') ?? 20261207),
    keep: argv.includes('--keep'),
    reuse: argv.includes('--reuse'),
  };
}

/** The sweep's settings: every combination (--grid), or each factor varied alone around the first values. */
function sweep(args: Args): Omit<ModelSettings, 'seed'>[] {
  const base = { ...DEFAULT_MODEL, schools: args.schools, leniencySpread: args.leniency.includes(0.2) ? 0.2 : args.leniency[0], tinyShare: args.tiny[0], taskEffect: args.task[0], teacherTurnover: args.turnover[0], leniencyDrift: args.drift[0], realChange: args.change[0], gia: args.gia };
  const out: Omit<ModelSettings, 'seed'>[] = [];
  // Every setting is the base with some factors replaced, so equal settings print alike, in the same key order.
  const add = (s: Omit<ModelSettings, 'seed'>) => {
    if (!out.some((o) => JSON.stringify(o) === JSON.stringify(s))) out.push(s);
  };
  if (args.grid) {
    for (const leniencySpread of args.leniency) for (const tinyShare of args.tiny) for (const taskEffect of args.task) for (const teacherTurnover of args.turnover) for (const leniencyDrift of args.drift) add({ ...base, leniencySpread, tinyShare, taskEffect, teacherTurnover, leniencyDrift });
    return out;
  }
  add(base);
  for (const leniencySpread of args.leniency) add({ ...base, leniencySpread });
  for (const tinyShare of args.tiny) add({ ...base, tinyShare });
  for (const taskEffect of args.task) add({ ...base, taskEffect });
  for (const teacherTurnover of args.turnover) add({ ...base, teacherTurnover });
  for (const leniencyDrift of args.drift) add({ ...base, leniencyDrift });
  for (const realChange of args.change) add({ ...base, realChange });
  return out;
}

async function freshDatabase(name: string): Promise<string> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko';
  const admin = new Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  return withDatabase(base, name);
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko', 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

const label = (s: Omit<ModelSettings, 'seed'>) => `${s.schools} schools, leniency spread ${s.leniencySpread}, tiny share ${s.tinyShare}, school × task SD ${s.taskEffect}, teacher turnover ${s.teacherTurnover}, leniency drift ${s.leniencyDrift}${s.realChange ? `, real change in ${s.realChange * 100} % of schools` : ''}${s.gia ? ', ВПР 8 → ОГЭ 9' : ', ВПР 4–5 only'}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const settings = sweep(args);
  console.log(`sweep of ${settings.length} regions (seed ${args.seed}): ${settings.map(label).join('; ')}`);
  const results: { settings: Omit<ModelSettings, 'seed'>; score: RobustnessScore; fullSeconds: number; schoolMs: number; rows: number }[] = [];
  if (args.reuse) {
    for (const [i, s] of settings.entries()) {
      const database = `msoko_bench_robust_${i}`;
      const manifest = JSON.parse(await readFile(join(tmpdir(), `${database}.manifest.json`), 'utf8')) as Manifest;
      const orm = await createOrm({ databaseUrl: withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko', database) });
      try {
        await migrate(orm);
        const outcome = await recomputeKept(orm, manifest);
        console.log(`\nregion ${i + 1}/${settings.length} (kept): ${label(s)} — full risk recompute ${round(outcome.fullRecomputeSeconds, 2)} s, one school ${JSON.stringify(outcome.schoolRecomputeMs)} ms`);
        const score = scoreRegion(manifest, outcome.zones, outcome.schoolIdByLogin);
        console.log(formatScore(label(s), score).join('\n'));
        const sorted = [...outcome.schoolRecomputeMs].sort((a, b) => a - b);
        results.push({ settings: s, score, fullSeconds: outcome.fullRecomputeSeconds, schoolMs: sorted[Math.floor(sorted.length / 2)], rows: 0 });
      } finally {
        await orm.close(true);
      }
    }
  } else
  for (const [i, s] of settings.entries()) {
    const started = Date.now();
    const region = simulateRegion({ ...s, seed: args.seed + i });
    const dir = await mkdtemp(join(tmpdir(), 'msoko-bench-robust-'));
    const database = `msoko_bench_robust_${i}`;
    try {
      const files = await writeRegionFiles(region, join(dir, 'files'));
      const manifest = JSON.parse(await readFile(files.manifestPath, 'utf8')) as Manifest;
      // Kept with the database, so that scripts/rescore-risk.ts can recompute and score it again without importing.
      if (args.keep) await writeFile(join(tmpdir(), `${database}.manifest.json`), JSON.stringify(manifest));
      const rows = region.assessments.reduce((sum, a) => sum + a.works.length, 0);
      console.log(`\nregion ${i + 1}/${settings.length}: ${label(s)} — ${rows} participant rows in ${files.files.length} files, simulated in ${round((Date.now() - started) / 1000, 1)} s`);
      const url = await freshDatabase(database);
      const orm = await createOrm({ databaseUrl: url });
      try {
        await migrate(orm);
        const outcome = await runThroughHub(files, manifest, {
          orm,
          redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
          prefix: `msoko-bench-robust-${process.pid}-${i}`,
          importDir: join(dir, 'uploads'),
          log: benchLog,
          onProgress: (message) => benchLog.info(message),
        });
        const sorted = [...outcome.schoolRecomputeMs].sort((a, b) => a - b);
        const schoolMs = sorted[Math.floor(sorted.length / 2)];
        console.log(
          `imports ${round(outcome.importSeconds, 1)} s, aggregates ${round(outcome.aggregateSeconds, 1)} s, full risk recompute ${round(outcome.fullRecomputeSeconds, 2)} s, one school ${JSON.stringify(outcome.schoolRecomputeMs)} ms`,
        );
        const score = scoreRegion(manifest, outcome.zones, outcome.schoolIdByLogin);
        console.log(formatScore(label(s), score).join('\n'));
        results.push({ settings: s, score, fullSeconds: outcome.fullRecomputeSeconds, schoolMs, rows });
      } finally {
        await orm.close(true);
        if (!args.keep) await dropDatabase(database);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  console.log(`\n## Sweep (methodology v${METHODOLOGY_VERSION})\n`);
  console.log('| leniency spread | tiny share | school × task SD | teacher turnover | leniency drift | real change | recall | clean_fpr | watch_share | precision@15% | insufficient_share | school-level P / R / FPR |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const d = r.score.schoolLevel;
    console.log(
      `| ${r.settings.leniencySpread} | ${r.settings.tinyShare} | ${r.settings.taskEffect} | ${r.settings.teacherTurnover} | ${r.settings.leniencyDrift} | ${r.settings.realChange} | ${r.score.recall.toFixed(3)} | ${r.score.cleanFpr.toFixed(3)} | ${r.score.watchShare.toFixed(3)} | ${r.score.precision.toFixed(3)} | ${r.score.insufficientShare.toFixed(3)} | ${d.precision.toFixed(2)} / ${d.recall.toFixed(2)} / ${d.cleanFalsePositiveRate.toFixed(2)} |`,
    );
  }
  console.log('');
  console.log(formatPooled(results.map((r) => r.score)).join('\n'));
  console.log('');
  const largest = Math.max(...results.map((r) => r.settings.schools));
  const timed = results.find((r) => r.settings.schools === largest)!;
  const worst = (pick: (s: RobustnessScore) => number, direction: 'min' | 'max') => {
    const values = results.map((r) => pick(r.score)).filter((x) => !Number.isNaN(x));
    return direction === 'min' ? Math.min(...values) : Math.max(...values);
  };
  // Few medium boundary plants per region: pooled over the sweep.
  const pooledRate = (pick: (s: RobustnessScore) => { n: number; hits: number }) => {
    const n = results.reduce((a, r) => a + pick(r.score).n, 0);
    return n === 0 ? NaN : results.reduce((a, r) => a + pick(r.score).hits, 0) / n;
  };
  console.log(
    `full_recompute_s=${round(timed.fullSeconds, 2)} school_recompute_ms=${Math.round(timed.schoolMs)} precision=${round(worst((s) => s.precision, 'min'), 3)} recall=${round(worst((s) => s.recall, 'min'), 3)} clean_fpr=${round(worst((s) => s.cleanFpr, 'max'), 3)} watch_share=${round(worst((s) => s.watchShare, 'max'), 3)} insufficient_share=${round(worst((s) => s.insufficientShare, 'max'), 3)} bunching_recall=${round(pooledRate((s) => s.bunching), 3)} bunching_tiny_recall=${round(pooledRate((s) => s.bunchingTiny), 3)}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
