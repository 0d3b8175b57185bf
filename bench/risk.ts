/**
 * bench:risk — a generated region of 1,000 schools × 3 years; a full risk recompute through the worker, then
 * one school's recompute through the worker (median of 5); the planted anomalies scored against the zones.
 * Last line: full_recompute_s=… school_recompute_ms=… precision=… recall=… clean_fpr=…
 */
import IORedis from 'ioredis';
import { JobGateway } from '../jobs/job-gateway';
import { closeQueues, createQueues, JOB_NAMES, QUEUE_NAMES } from '../jobs/queues';
import { closeWorkers, startWorkers } from '../jobs/workers';
import { generateRegion } from '../src/demo';
import { scoreDetection } from '../src/risk/detection/detection-score';
import { loadRiskRecords, plantedSchools } from '../src/risk/detection/load-records';
import { benchLog, prepareBenchDatabase, round } from './support';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 1000);

async function main(): Promise<void> {
  const region = generateRegion({ seed: 424242, schools: SCHOOLS, anomalyRate: 0.1 });
  const started = Date.now();
  const { orm, load } = await prepareBenchDatabase(`msoko_bench_risk_${SCHOOLS}`, region);
  console.log(`region ready: ${load.schools} schools, ${load.participants || 'already loaded'} participant rows, ${Math.round((Date.now() - started) / 1000)} s`);
  const prefix = `msoko-bench-risk-${process.pid}`;
  const producer = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const workerRedis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = createQueues(producer, prefix);
  const gateway = new JobGateway(orm.em.getKnex(), queues, benchLog);
  const workers = startWorkers({ orm, connection: workerRedis, prefix, log: benchLog, gateway });
  const runJob = async (schoolIds: number[] | null) => {
    const ticket = await gateway.enqueue({ queue: QUEUE_NAMES.risk, name: JOB_NAMES.recomputeRisk, payload: { schoolIds, regionIds: null, years: null, reason: 'bench:risk' }, requestedBy: 'bench' });
    const jobId = `r${ticket.id.split(':')[1]}`;
    for (;;) {
      const job = await queues.risk.getJob(jobId);
      const state = await job?.getState();
      if (state === 'completed') return job!.finishedOn! - (job!.processedOn ?? job!.timestamp); // processedOn is missing now and then: count from the enqueue
      if (state === 'failed') throw new Error(`risk job failed: ${job!.failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    const fullStarted = Date.now();
    await runJob(null);
    const fullSeconds = (Date.now() - fullStarted) / 1000;
    const schoolIds = [...load.schoolIds.values()];
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) timings.push(await runJob([schoolIds[(i * 197) % schoolIds.length]]));
    console.log(`school_recompute_runs_ms=${JSON.stringify(timings)}`);
    timings.sort((a, b) => a - b);
    const score = scoreDetection(await loadRiskRecords(orm.em.getKnex()), plantedSchools(region, load.schoolIds));
    console.log(`planted=${score.planted} found=${score.found} flagged=${score.flagged} false_alarms=${score.flaggedClean} missed=${JSON.stringify(score.missed.slice(0, 10))}`);
    console.log(
      `full_recompute_s=${round(fullSeconds, 2)} school_recompute_ms=${Math.round(timings[2])} precision=${round(score.precision, 3)} recall=${round(score.recall, 3)} clean_fpr=${round(score.cleanFalsePositiveRate, 3)}`,
    );
  } finally {
    await closeWorkers(workers);
    await closeQueues(queues);
    producer.disconnect();
    workerRedis.disconnect();
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
