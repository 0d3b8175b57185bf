import IORedis, { type Redis } from 'ioredis';
import { ServiceUnavailableError } from '../db/database-admin';

/**
 * A Redis connection for BullMQ. maxRetriesPerRequest must be null for workers (BullMQ requirement);
 * queues use the same kind of connection so a short Redis outage does not fail commands outright.
 */
export function createRedis(redisUrl: string): Redis {
  return new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
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
