/**
 * Writes an upload to disk as it arrives: hashing and counting on the way, refusing as soon as the size
 * limit is passed (the rest is never read), never holding the file in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class UploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Файл больше допустимых ${formatSize(limitBytes)}: загрузка прервана. Разделите файл на части и загрузите их по отдельности.`);
    this.name = 'UploadTooLargeError';
  }
}

export interface StoredUpload {
  path: string;
  size: number;
  sha256: string;
}

/** "200 МБ", or КБ for limits below a megabyte. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Math.floor(mb)} МБ` : `${Math.max(1, Math.floor(bytes / 1024))} КБ`;
}

class HashingLimit extends Transform {
  readonly hash = createHash('sha256');
  size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new UploadTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

/** Streams `source` into a new file under `directory`; the file is removed again when anything fails. */
export async function storeUpload(source: Readable, directory: string, maxBytes: number): Promise<StoredUpload> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, `${Date.now()}-${randomBytes(8).toString('hex')}.upload`);
  const counter = new HashingLimit(maxBytes);
  const file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline(source, counter, file);
  } catch (error) {
    // A refusal on the first chunk can come before the file is even open: it would be created after an unlink.
    if (!file.closed) await once(file, 'close').catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return { path, size: counter.size, sha256: counter.hash.digest('hex') };
}

/** Removes an upload that is no longer needed; a file already gone is fine. */
export async function removeUpload(path: string | null): Promise<void> {
  if (path) await unlink(path).catch(() => undefined);
}
