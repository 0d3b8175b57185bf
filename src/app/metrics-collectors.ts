import type { MikroORM } from '@mikro-orm/postgresql';
import type { HubQueues } from '../jobs/queues';
import { hubMetrics } from '../shared/metrics';
import { withTimeout } from '../shared/timeout';


let registered = false;

/**
 * Scrape-time readings: queue depth from Redis (skipped while Redis is down) and job requests by state
 * from PostgreSQL, the record shared by every API and worker process.
 */
export function collectQueueMetrics(orm: MikroORM, queues: HubQueues): void {
  if (registered) return;
  registered = true;
  hubMetrics.registry.onCollect(async () => {
    await Promise.all(
      Object.entries(queues).map(async ([name, queue]) => {
        const counts = await withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), 1000);
        for (const [state, value] of Object.entries(counts)) hubMetrics.queueDepth.set({ queue: name, state }, value);
      }),
    );
  });
  hubMetrics.registry.onCollect(async () => {
    const { rows } = await orm.em.getKnex().raw(`select queue, count(*)::int as n from job_request where state = 'PENDING' group by queue`);
    for (const name of Object.keys(queues)) hubMetrics.pendingJobRequests.set({ queue: name }, rows.find((r: any) => r.queue === name)?.n ?? 0);
  });
}
