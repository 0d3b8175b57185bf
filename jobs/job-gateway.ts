import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../src/auth/principal';
import { Role } from '../src/auth/role';
import type { Logger } from '../src/shared/logger';
import { withTimeout as timed } from '../src/shared/timeout';

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

export const bullJobId = (requestId: number | string) => `r${requestId}`;
export const requestIdOf = (bullId: string | undefined) => (bullId && /^r\d+$/.test(bullId) ? Number(bullId.slice(1)) : null);


/**
 * The outbox between PostgreSQL and BullMQ. A request is first a row in job_request (inside the caller's
 * transaction when there is one), then handed to its queue with a job id derived from the row, so handing it
 * over twice is harmless. While Redis is down requests wait in PostgreSQL; dispatchPending() sends them when
 * it is back. Outcomes are written back to the row, so PostgreSQL keeps the record after Redis forgets.
 */
export class JobGateway {
  constructor(
    private readonly knex: Knex,
    private readonly queues: HubQueues,
    private readonly log: Logger,
  ) {}

  /** Writes the request (in `trx` when given) and returns its ticket; call dispatch() after the commit. */
  async record(input: JobRequestInput, trx: Knex = this.knex): Promise<JobTicket> {
    const { rows } = await trx.raw(`insert into job_request (queue, name, payload, requested_by) values (?, ?, ?::jsonb, ?) returning id`, [
      input.queue,
      input.name,
      JSON.stringify(input.payload),
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
      if (!job) return base;
      const state = await withTimeout(job.getState(), DISPATCH_TIMEOUT_MS);
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

  /** Called by workers: the outcome of a job goes back to its request row. */
  async recordOutcome(bullId: string | undefined, outcome: { completed: boolean; attempts: number; result?: unknown; error?: string; final: boolean }): Promise<void> {
    const requestId = requestIdOf(bullId);
    if (requestId === null) return;
    if (outcome.completed) {
      await this.knex.raw(`update job_request set state = 'COMPLETED', finished_at = now(), attempts = ?, result = ?::jsonb, error = null where id = ?`, [
        outcome.attempts,
        JSON.stringify(outcome.result ?? null),
        requestId,
      ]);
    } else {
      await this.knex.raw(`update job_request set state = ?, finished_at = case when ? then now() end, attempts = ?, error = ? where id = ?`, [
        outcome.final ? 'FAILED' : 'DISPATCHED',
        outcome.final,
        outcome.attempts,
        outcome.error ?? null,
        requestId,
      ]);
    }
  }
}
