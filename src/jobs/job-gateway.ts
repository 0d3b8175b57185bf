import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import type { Principal } from '../shared/principal';
import { Role } from '../shared/role';
import type { Logger } from '../shared/logger';
import { withTimeout as timed } from '../shared/timeout';

const withTimeout = <T>(promise: Promise<T>, ms: number) => timed(promise, ms, 'no answer from Redis');
import type { HubQueues, QueueName } from './queues';

export interface JobTicket {
  /** "<queue>:<request id>": stable from the moment the request is written, even while Redis is down. */
  id: string;
  queue: QueueName;
  name: string;
}

export interface JobSnapshot extends JobTicket {
  /** PENDING (kept in PostgreSQL until Redis takes it), then BullMQ's state (waiting, active, completed, failed…). */
  state: string;
  progress: unknown;
  attemptsMade: number;
  failedReason: string | null;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobRequestInput {
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  requestedBy: string;
  /** The request whose job asks for this follow-up: asked again by a retry of that job, it is not recorded twice. */
  after?: number;
}

interface JobRequestRow {
  id: string;
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  requested_by: string;
  state: 'PENDING' | 'DISPATCHED' | 'COMPLETED' | 'FAILED';
  created_at: Date;
  finished_at: Date | null;
  attempts: number;
  result: unknown;
  error: string | null;
}

/** How long an enqueue waits for Redis before leaving the request to the dispatcher. */
const DISPATCH_TIMEOUT_MS = 1500;

/**
 * Advisory lock (namespace, request id) held by the process that runs a request's job. PostgreSQL drops it when
 * that process dies, so it tells the reconciler whether a job Redis forgot is still being run somewhere.
 */
const JOB_RUN_LOCK = 41_050;
/** How often a second copy of a job checks whether the first has let go of the request. */
const RUN_LOCK_POLL_MS = 250;

/** What one reconcile pass found among the dispatched requests. */
export interface ReconcileOutcome {
  checked: number;
  /** Lost by Redis and handed to it again. */
  redispatched: number;
  /** Lost by Redis while a live process still runs them: left to that process. */
  running: number;
  /** Finished in Redis without the outcome reaching PostgreSQL: written back. */
  completed: number;
  failed: number;
}

export const bullJobId = (requestId: number | string) => `r${requestId}`;
export const requestIdOf = (bullId: string | undefined) => (bullId && /^r\d+$/.test(bullId) ? Number(bullId.slice(1)) : null);

/** Every processor runs through the gateway: once per request, its completion recorded in PostgreSQL first. */
export function oncePerRequest<J extends { id?: string; attemptsMade: number }, R>(gateway: JobGateway, processor: (job: J) => Promise<R>): (job: J) => Promise<R> {
  return (job) => gateway.runOnce(job.id, job.attemptsMade + 1, () => processor(job));
}

/**
 * The outbox between PostgreSQL and BullMQ. A request is first a row in job_request (inside the caller's
 * transaction when there is one), then handed to its queue with a job id derived from the row, so handing it
 * over twice is harmless. While Redis is down requests wait in PostgreSQL; dispatchPending() sends them when
 * it is back. Outcomes are written back to the row, so PostgreSQL keeps the record after Redis forgets, and
 * reconcile() hands over again what Redis lost after it took it.
 */
export class JobGateway {
  constructor(
    private readonly knex: Knex,
    private readonly queues: HubQueues,
    private readonly log: Logger,
  ) {}

  /** Writes the request (in `trx` when given) and returns its ticket; call dispatch() after the commit. */
  async record(input: JobRequestInput, trx: Knex = this.knex): Promise<JobTicket> {
    const payload = input.after === undefined ? input.payload : { ...input.payload, after: input.after };
    if (input.after !== undefined) {
      // Follow-ups are younger than their parent: the primary key bounds the search. Copies of the parent's job
      // run one after the other (runOnce), so checking and then inserting cannot race with itself.
      const { rows } = await trx.raw(`select id from job_request where id > ? and queue = ? and payload->>'after' = ? order by id limit 1`, [
        input.after,
        input.queue,
        String(input.after),
      ]);
      if (rows[0]) return { id: `${input.queue}:${rows[0].id}`, queue: input.queue, name: input.name };
    }
    const { rows } = await trx.raw(`insert into job_request (queue, name, payload, requested_by) values (?, ?, ?::jsonb, ?) returning id`, [
      input.queue,
      input.name,
      JSON.stringify(payload),
      input.requestedBy,
    ]);
    return { id: `${input.queue}:${rows[0].id}`, queue: input.queue, name: input.name };
  }

  /** Records and hands over at once; if Redis does not answer the request stays pending, not lost. */
  async enqueue(input: JobRequestInput): Promise<JobTicket> {
    const ticket = await this.record(input);
    await this.dispatch([ticket]);
    return ticket;
  }

  async dispatch(tickets: JobTicket[]): Promise<void> {
    const ids = tickets.map((t) => Number(t.id.split(':')[1]));
    if (ids.length === 0) return;
    const { rows } = await this.knex.raw(`select * from job_request where id in (${ids.map(() => '?').join(',')}) and state = 'PENDING'`, ids);
    await this.handOver(rows as JobRequestRow[]);
  }

  /** Hands every pending request to its queue; returns how many went. Run periodically by API and worker. */
  async dispatchPending(limit = 500): Promise<number> {
    const { rows } = await this.knex.raw(`select * from job_request where state = 'PENDING' order by id limit ?`, [limit]);
    return this.handOver(rows as JobRequestRow[]);
  }

  private async handOver(rows: JobRequestRow[]): Promise<number> {
    let sent = 0;
    for (const row of rows) {
      const queue = this.queues[row.queue];
      if (!queue) {
        await this.knex.raw(`update job_request set state = 'FAILED', error = ?, finished_at = now() where id = ?`, [`unknown queue ${row.queue}`, row.id]);
        continue;
      }
      try {
        await withTimeout(queue.add(row.name, { ...row.payload, requestId: Number(row.id) }, { jobId: bullJobId(row.id) }), DISPATCH_TIMEOUT_MS);
      } catch (error) {
        this.log.warn({ requestId: row.id, queue: row.queue, err: error }, 'job request kept in PostgreSQL until Redis answers');
        return sent;
      }
      await this.knex.raw(`update job_request set state = 'DISPATCHED', dispatched_at = now() where id = ? and state = 'PENDING'`, [row.id]);
      sent++;
    }
    return sent;
  }

  /** A job's state; visible to admins and to the key that asked for it. */
  async status(ticketId: string, principal: Principal): Promise<JobSnapshot | null> {
    const match = /^([a-z-]+):(\d+)$/.exec(ticketId);
    if (!match) return null;
    const { rows } = await this.knex.raw(`select * from job_request where id = ? and queue = ?`, [Number(match[2]), match[1]]);
    const row = rows[0] as JobRequestRow | undefined;
    if (!row || (principal.role !== Role.ADMIN && row.requested_by !== principal.actor)) return null;
    const base: JobSnapshot = {
      id: ticketId,
      queue: row.queue,
      name: row.name,
      state: row.state === 'PENDING' ? 'pending' : row.state === 'COMPLETED' ? 'completed' : row.state === 'FAILED' ? 'failed' : 'waiting',
      progress: null,
      attemptsMade: row.attempts,
      failedReason: row.error,
      result: row.result,
      createdAt: new Date(row.created_at),
      finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    };
    if (row.state !== 'DISPATCHED' && row.state !== 'COMPLETED') return base;
    try {
      const queue = this.queues[row.queue];
      let job = await withTimeout(queue.getJob(bullJobId(row.id)), DISPATCH_TIMEOUT_MS);
      // Redis lost a dispatched job (restart, eviction): the request is PostgreSQL's again until reconcile() resends it.
      if (!job) return row.state === 'DISPATCHED' ? { ...base, state: 'pending' } : base;
      const redisState = await withTimeout(job.getState(), DISPATCH_TIMEOUT_MS);
      // The job writes its completion to PostgreSQL just before BullMQ files it: PostgreSQL's word wins.
      const state = row.state === 'COMPLETED' ? 'completed' : redisState;
      // The job may have finished between reading it and reading its state: read it again for its outcome.
      if ((state === 'completed' || state === 'failed') && !job.finishedOn) job = (await withTimeout(queue.getJob(bullJobId(row.id)), DISPATCH_TIMEOUT_MS)) ?? job;
      return {
        ...base,
        state,
        progress: job.progress,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? base.failedReason,
        result: job.returnvalue ?? base.result,
        finishedAt: job.finishedOn ? new Date(job.finishedOn) : base.finishedAt,
      };
    } catch {
      return base; // Redis unavailable: PostgreSQL's record is the answer
    }
  }

  /**
   * Runs the job of request `bullId` with the effect of exactly once. Its process holds the request's run lock
   * meanwhile, so a second copy (Redis lost the first while it ran, and it was dispatched again) waits for the
   * first; a request PostgreSQL already records as completed is not run again, its recorded result is returned.
   * The completion is written here, before BullMQ is told, so it survives Redis losing the job.
   */
  async runOnce<T>(bullId: string | undefined, attempt: number, run: () => Promise<T>): Promise<T> {
    const requestId = requestIdOf(bullId);
    if (requestId === null) return run();
    const client = (await this.knex.client.acquireConnection()) as ClientBase;
    try {
      while (!(await client.query('select pg_try_advisory_lock($1, $2) as ok', [JOB_RUN_LOCK, requestId])).rows[0].ok) await sleep(RUN_LOCK_POLL_MS);
      try {
        const { rows } = await client.query(`select state, result from job_request where id = $1`, [requestId]);
        if (rows[0]?.state === 'COMPLETED') {
          this.log.info({ requestId, jobId: bullId }, 'job request already completed; not run again');
          return rows[0].result as T;
        }
        const result = await run();
        await client.query(`update job_request set state = 'COMPLETED', finished_at = now(), attempts = $2, result = $3::jsonb, error = null where id = $1`, [
          requestId,
          attempt,
          JSON.stringify(result ?? null),
        ]);
        return result;
      } finally {
        await client.query('select pg_advisory_unlock($1, $2)', [JOB_RUN_LOCK, requestId]).catch(() => undefined);
      }
    } finally {
      await this.knex.client.releaseConnection(client);
    }
  }

  /**
   * PostgreSQL is the record, Redis only carries the work: finds dispatched requests whose job Redis no longer
   * has (a restart without data, an eviction, a flush) and hands them over again under the same job id; writes
   * back outcomes Redis kept but PostgreSQL missed. A lost job that a live process still runs (it holds the run
   * lock) is left alone. Throws when Redis does not answer: nothing can be told lost then.
   */
  async reconcile(pageSize = 200): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { checked: 0, redispatched: 0, running: 0, completed: 0, failed: 0 };
    for (let after = 0; ; ) {
      const { rows } = await this.knex.raw(`select * from job_request where state = 'DISPATCHED' and id > ? order by id limit ?`, [after, pageSize]);
      if (rows.length === 0) return outcome;
      const lost: JobTicket[] = [];
      for (const row of rows as JobRequestRow[]) {
        after = Number(row.id);
        const queue = this.queues[row.queue];
        if (!queue) continue;
        outcome.checked++;
        const jobId = bullJobId(row.id);
        const state = await withTimeout(queue.getJobState(jobId), DISPATCH_TIMEOUT_MS);
        if (state === 'completed' || state === 'failed') {
          const job = await withTimeout(queue.getJob(jobId), DISPATCH_TIMEOUT_MS);
          if (job && (await this.writeBack(row.id, state, job))) outcome[state]++;
          continue;
        }
        if (state !== 'unknown') continue; // waiting, active, delayed…: Redis has it
        // A job hash left without its list entry (a partial eviction) would make the same job id a no-op: drop it.
        const orphan = await withTimeout(queue.getJob(jobId), DISPATCH_TIMEOUT_MS);
        if (orphan) await withTimeout(orphan.remove(), DISPATCH_TIMEOUT_MS).catch(() => undefined);
        if (await this.takeBack(row.id)) lost.push({ id: `${row.queue}:${row.id}`, queue: row.queue, name: row.name });
        else outcome.running++;
      }
      if (lost.length > 0) {
        this.log.warn({ requests: lost.map((t) => t.id) }, 'Redis no longer has these dispatched jobs; handing them over again');
        await this.dispatch(lost);
        outcome.redispatched += lost.length;
      }
    }
  }

  /** A lost request goes back to PENDING unless a live process holds its run lock (or it finished meanwhile). */
  private async takeBack(requestId: string): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw('select pg_try_advisory_xact_lock(?, ?) as ok', [JOB_RUN_LOCK, Number(requestId)]);
      if (!rows[0].ok) return false;
      const updated = await trx.raw(`update job_request set state = 'PENDING', dispatched_at = null where id = ? and state = 'DISPATCHED'`, [requestId]);
      return updated.rowCount === 1;
    });
  }

  private async writeBack(requestId: string, state: 'completed' | 'failed', job: { attemptsMade: number; returnvalue: unknown; failedReason?: string }): Promise<boolean> {
    const updated =
      state === 'completed'
        ? await this.knex.raw(`update job_request set state = 'COMPLETED', finished_at = now(), attempts = ?, result = ?::jsonb, error = null where id = ? and state = 'DISPATCHED'`, [
            job.attemptsMade,
            JSON.stringify(job.returnvalue ?? null),
            requestId,
          ])
        : await this.knex.raw(`update job_request set state = 'FAILED', finished_at = now(), attempts = ?, error = ? where id = ? and state = 'DISPATCHED'`, [
            job.attemptsMade,
            job.failedReason ?? null,
            requestId,
          ]);
    return updated.rowCount === 1;
  }

  /** Called by workers when an attempt fails (completions are written by runOnce): the failure goes to the request row. */
  async recordFailure(bullId: string | undefined, failure: { attempts: number; error: string; final: boolean }): Promise<void> {
    const requestId = requestIdOf(bullId);
    if (requestId === null) return;
    // Only over a request still dispatched: a copy that lost its job in Redis may fail after the request completed.
    await this.knex.raw(`update job_request set state = ?, finished_at = case when ? then now() end, attempts = ?, error = ? where id = ? and state = 'DISPATCHED'`, [
      failure.final ? 'FAILED' : 'DISPATCHED',
      failure.final,
      failure.attempts,
      failure.error,
      requestId,
    ]);
  }
}
