import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger';

/**
 * A per-key fixed-window limit (requests per minute) kept in Redis, so every API process shares it.
 * When Redis is unreachable the request is let through: reads must keep working during an outage.
 */
/** INCR, and EXPIRE on the window's first request: one round trip, and no key outlives its window. */
const COUNT_IN_WINDOW = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 61) end return n`;

type CountingRedis = Redis & { hubCountInWindow(key: string): Promise<number> };

export class RateLimiter {
  private readonly redis: CountingRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {
    if (!('hubCountInWindow' in redis)) redis.defineCommand('hubCountInWindow', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    this.redis = redis as CountingRedis;
  }

  async check(actor: string): Promise<void> {
    if (this.perMinute <= 0) return;
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.prefix}:rate:${actor}:${window}`;
    let count: number;
    try {
      count = Number(await this.redis.hubCountInWindow(key));
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'rate limit not checked: Redis unavailable');
      return;
    }
    if (count > this.perMinute) {
      const retryAfter = 60 - Math.floor((Date.now() / 1000) % 60);
      throw new GraphQLError(`Превышен лимит запросов: ${this.perMinute} в минуту для ключа; повторите через ${retryAfter} с`, {
        extensions: { code: 'RATE_LIMITED', limitPerMinute: this.perMinute, retryAfterSeconds: retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
  }
}
