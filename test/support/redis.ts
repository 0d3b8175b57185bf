import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import { TEST_REDIS_URL } from './env';
import { startRedisServer, until } from './processes';

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

/** A redis-server of the test's own on a free port, keeping nothing on disk: a restart brings it back empty. */
export interface PrivateRedis {
  url: string;
  /** SIGKILL, then a new empty server on the same port; resolves when it answers. */
  restartEmpty(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether a Redis answers at `url` now: one connection attempt, no retries. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server = startRedisServer(port);
  const answers = () => redisAnswers(url);
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };
  await until(answers, 10_000, 'redis-server to start');
  return {
    url,
    stop,
    async restartEmpty() {
      await stop();
      server = startRedisServer(port);
      await until(answers, 10_000, 'redis-server to restart');
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
