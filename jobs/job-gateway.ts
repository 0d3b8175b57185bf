import type { Job } from 'bullmq';
import { JOB_NAMES, QUEUE_NAMES, type HubQueues, type QueueName, type RecomputeAggregatesPayload } from './queues';

export interface JobTicket {
  /** "<queue>:<job id>": enough to find the job again in any queue. */
  id: string;
  queue: QueueName;
  name: string;
}

export interface JobSnapshot {
  id: string;
  queue: QueueName;
  name: string;
  state: string;
  progress: unknown;
  attemptsMade: number;
  failedReason: string | null;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

/** What the API needs of the job system: enqueue work, and read a job's state back. */
export interface JobGateway {
  enqueueAggregates(payload: RecomputeAggregatesPayload): Promise<JobTicket>;
  status(ticketId: string): Promise<JobSnapshot | null>;
}

export class BullJobGateway implements JobGateway {
  constructor(private readonly queues: HubQueues) {}

  async enqueueAggregates(payload: RecomputeAggregatesPayload): Promise<JobTicket> {
    const job = await this.queues.aggregates.add(JOB_NAMES.recomputeAggregates, payload);
    return ticketOf(QUEUE_NAMES.aggregates, job);
  }

  async status(ticketId: string): Promise<JobSnapshot | null> {
    const separator = ticketId.indexOf(':');
    const queueName = ticketId.slice(0, separator) as QueueName;
    const queue = this.queues[queueName];
    if (separator < 0 || !queue) return null;
    const job = await queue.getJob(ticketId.slice(separator + 1));
    if (!job) return null;
    return {
      ...ticketOf(queueName, job),
      state: await job.getState(),
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      result: job.returnvalue ?? null,
      createdAt: new Date(job.timestamp),
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    };
  }
}

function ticketOf(queue: QueueName, job: Job): JobTicket {
  return { id: `${queue}:${job.id}`, queue, name: job.name };
}
