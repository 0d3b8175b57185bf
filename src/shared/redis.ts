import IORedis, { type Redis } from 'ioredis';
import { ServiceUnavailableError } from '../db/database-admin';

/** Worker connections: BullMQ requires maxRetriesPerRequest = null; commands wait for a reconnect. */
export function createWorkerRedis(redisUrl: string): Redis {
  return new IORedis(redisUrl, { maxRetriesPerRequest: null });
}

/**
 * Producer connections (queues, rate limits): fail fast while Redis is down instead of queueing commands,
 * so requests are kept in PostgreSQL and reads go on.
 */
export function createProducerRedis(redisUrl: string): Redis {
  return new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}

/** Fails fast with one line naming the variable when Redis is not reachable at start-up. */
export async function checkRedis(redisUrl: string, timeoutMs = 3000): Promise<void> {
  const probe = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(
      `REDIS_URL: cannot connect to Redis at ${new URL(redisUrl).host} (${reason}); start it, or run \`docker compose up -d postgres redis\``,
    );
  } finally {
    probe.disconnect();
  }
}
