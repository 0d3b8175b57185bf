import type express from 'express';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../shared/logger';
import { authenticateRequest, presentedKey } from './request-auth';
import type { VerifiedKeys } from './verified-keys';

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

/**
 * The same per-key limit on every route besides /graphql (which checks it in its own pipeline): uploads,
 * downloads, pages, the IDE. A request without a key, or with one that is not accepted, goes on to its route,
 * which answers it; over the limit the answer is 429 with Retry-After.
 */
export function rateLimitedRoutes(deps: { orm: MikroORM; verifiedKeys?: VerifiedKeys; rateLimiter: RateLimiter; log: Logger }): express.RequestHandler {
  return async (req, res, next) => {
    if (req.path === '/graphql' || req.path.startsWith('/graphql/') || presentedKey(req.headers) === null) return next();
    let actor: string;
    try {
      actor = (await authenticateRequest(() => deps.orm.em.fork(), req.headers, deps.verifiedKeys)).actor;
    } catch {
      return next();
    }
    try {
      await deps.rateLimiter.check(actor);
    } catch (error) {
      const extensions = (error as GraphQLError).extensions ?? {};
      res.setHeader('retry-after', String(extensions.retryAfterSeconds ?? 60));
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: (error as Error).message } });
      return;
    }
    next();
  };
}
