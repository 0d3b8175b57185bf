import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { TEST_REDIS_URL } from './env';

/** A BullMQ key prefix of this test file's own, so files sharing one Redis never see each other's jobs. */
export function testQueuePrefix(): string {
  return `msoko-test-${randomBytes(4).toString('hex')}`;
}

export async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
