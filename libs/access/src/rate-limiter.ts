import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG, REDIS } from '@maatlat/shared/tokens';

/**
 * Fixed-window counters in Redis, shared by every API process. When Redis cannot be reached the
 * limiter lets requests through: losing the limit for a moment is better than locking everyone out.
 * Without Redis (embedded mode: one API process) the counters live in this process.
 */
@Injectable()
export class RateLimiter {
  private readonly local = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: IORedis | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one hit; true while the key stays within `limit` per `windowSeconds`. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<boolean> {
    return (await this.count(key, windowSeconds)) <= limit;
  }

  async enforce(key: string, limit: number, windowSeconds: number, what: string): Promise<void> {
    if (!(await this.hit(key, limit, windowSeconds))) {
      throw new HttpException({ code: 'rate-limited', message: `too many ${what}; try again in ${windowSeconds} seconds` }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }

  private keyOf(key: string, windowSeconds: number): string {
    return `${this.config.queuePrefix}:rate:${key}:${Math.floor(Date.now() / 1000 / windowSeconds)}`;
  }

  private async count(key: string, windowSeconds: number): Promise<number> {
    const redisKey = this.keyOf(key, windowSeconds);
    if (!this.redis) return this.countLocally(redisKey);
    try {
      const results = await this.redis.multi().incr(redisKey).expire(redisKey, windowSeconds * 2).exec();
      return Number(results?.[0]?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  private countLocally(windowKey: string): number {
    const count = (this.local.get(windowKey) ?? 0) + 1;
    this.local.set(windowKey, count);
    // Keys come in time order: dropping the first half drops windows that are over (bounded memory).
    if (this.local.size > 10_000) for (const old of [...this.local.keys()].slice(0, 5_000)) this.local.delete(old);
    return count;
  }
}
