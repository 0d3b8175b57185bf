import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger';

/**
 * A per-key fixed-window limit (requests per minute) kept in Redis, so every API process shares it.
 * When Redis is unreachable the request is let through: reads must keep working during an outage.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {}

  async check(actor: string): Promise<void> {
    if (this.perMinute <= 0) return;
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.prefix}:rate:${actor}:${window}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).expire(key, 61).exec();
      count = Number(results?.[0]?.[1] ?? 0);
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
