/**
 * A per-key daily upload quota (bytes and files, UTC days) kept in Redis, so every API process shares it.
 * Checked before a body is read — with the declared Content-Length where there is one — and charged once
 * the file is stored; a streamed upload without a length can overshoot the quota by at most one file.
 * When Redis is unreachable uploads go on: the rate limit and the upload size limit still hold.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger';
import { formatSize } from './upload-store';

export interface UploadQuotaLimits {
  bytesPerDay: number;
  filesPerDay: number;
}

export class UploadQuotaExceeded extends Error {}

const DAY_SECONDS = 86_400;

export class UploadQuota {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: UploadQuotaLimits,
    private readonly log: Logger,
  ) {}

  private keys(actor: string): { bytes: string; files: string } {
    const day = new Date().toISOString().slice(0, 10);
    return { bytes: `${this.prefix}:upload-quota:${actor}:${day}:bytes`, files: `${this.prefix}:upload-quota:${actor}:${day}:files` };
  }

  /** Throws UploadQuotaExceeded, saying the quota, when this upload would go past it. */
  async check(actor: string, declaredBytes: number | null): Promise<void> {
    const keys = this.keys(actor);
    let used: [number, number];
    try {
      const [bytes, files] = await this.redis.mget(keys.bytes, keys.files);
      used = [Number(bytes ?? 0), Number(files ?? 0)];
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'upload quota not checked: Redis unavailable');
      return;
    }
    const { bytesPerDay, filesPerDay } = this.limits;
    if (filesPerDay > 0 && used[1] >= filesPerDay) {
      throw new UploadQuotaExceeded(`Превышена суточная квота загрузок ключа: ${filesPerDay} файлов в сутки (UTC); повторите завтра или обратитесь к администратору`);
    }
    if (bytesPerDay > 0 && used[0] + (declaredBytes ?? 0) > bytesPerDay) {
      throw new UploadQuotaExceeded(
        `Превышена суточная квота загрузок ключа: ${formatSize(bytesPerDay)} в сутки (UTC), уже загружено ${formatSize(used[0])}; повторите завтра или обратитесь к администратору`,
      );
    }
  }

  /** Counts a stored upload against the day's quota. */
  async charge(actor: string, bytes: number): Promise<void> {
    const keys = this.keys(actor);
    try {
      await this.redis.multi().incrby(keys.bytes, bytes).expire(keys.bytes, DAY_SECONDS * 2).incr(keys.files).expire(keys.files, DAY_SECONDS * 2).exec();
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'upload quota not charged: Redis unavailable');
    }
  }
}
