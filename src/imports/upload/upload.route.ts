/**
 * POST /imports — an authenticated, streamed, size-limited upload. The body is either the file itself
 * (name in `?name=`, `X-File-Name` or Content-Disposition) or multipart/form-data with one file field.
 * The file goes to disk as it arrives; past the limit the upload is refused at once with 413, before the
 * rest is read. Answers 201 with the batch id that startImport and importBatch take.
 */
import { basename } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { authenticateRequest } from '../../auth/request-auth';
import type { Logger } from '../../shared/logger';
import { ImportBatchStore } from '../batch/import-batch.store';
import { assertImporter } from '../import-access';
import { sendError, sendFailure } from './http-errors';
import { formatSize, removeUpload, storeUpload, UploadTooLargeError, type StoredUpload } from './upload-store';
import { UploadQuotaExceeded, type UploadQuota } from './upload-quota';

export interface UploadOptions {
  maxUploadBytes: number;
  importDir: string;
  /** Daily bytes and files per key; none: no quota. */
  quota?: UploadQuota;
}

/** Room for multipart boundaries and part headers around the file when comparing Content-Length with the limit. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** After a refusal, how long the rest of a body may drain before the connection is cut. */
const DRAIN_MS = 2000;

class BadUpload extends Error {}

/** A file name safe to show and store: no directories, no control characters, at most 255 characters. */
function cleanFileName(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const name = basename(raw.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return name === '' || name === '.' || name === '..' ? null : name;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Name of a raw upload: the query, then X-File-Name (percent-encoded UTF-8), then Content-Disposition. */
function rawFileName(req: express.Request): string | null {
  const query = typeof req.query.name === 'string' ? req.query.name : null;
  const header = typeof req.headers['x-file-name'] === 'string' ? decoded(req.headers['x-file-name']) : null;
  const disposition = req.headers['content-disposition'] ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return cleanFileName(query ?? header ?? (star ? decoded(star[1]) : plain ? plain[1] : null));
}

/** The single file of a multipart body. */
function multipartFile(req: express.Request, options: UploadOptions): Promise<{ upload: StoredUpload; fileName: string; contentType: string | null }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 20, parts: 25, fileSize: options.maxUploadBytes + 1 } });
    } catch {
      reject(new BadUpload('Не удалось прочитать тело запроса multipart/form-data: нет границы (boundary).'));
      return;
    }
    let seen = false;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(error);
    };
    parser.on('file', (_field, stream, info) => {
      if (seen) {
        stream.resume();
        return;
      }
      seen = true;
      const fileName = cleanFileName(info.filename);
      if (!fileName) {
        stream.resume();
        fail(new BadUpload('У файла в multipart/form-data нет имени (filename).'));
        return;
      }
      storeUpload(stream, options.importDir, options.maxUploadBytes).then(
        (upload) => {
          if (settled) {
            void removeUpload(upload.path);
            return;
          }
          settled = true;
          resolve({ upload, fileName, contentType: info.mimeType || null });
        },
        (error: Error) => {
          stream.resume();
          fail(error);
        },
      );
    });
    parser.on('filesLimit', () => fail(new BadUpload('За один запрос загружается один файл.')));
    parser.on('error', (error: Error) => fail(new BadUpload(`Тело запроса multipart/form-data повреждено: ${error.message}`)));
    parser.on('close', () => {
      if (!seen) fail(new BadUpload('В запросе multipart/form-data нет файла: передайте его полем file.'));
    });
    req.pipe(parser);
  });
}

async function rawFile(req: express.Request, options: UploadOptions): Promise<{ upload: StoredUpload; fileName: string; contentType: string | null }> {
  const fileName = rawFileName(req);
  if (!fileName) throw new BadUpload('Укажите имя файла: POST /imports?name=results.csv (или заголовок X-File-Name).');
  // The request itself is not handed to the pipeline: on refusal the pipeline destroys its source, and the
  // connection must stay open long enough to carry the 413 answer.
  const body = new PassThrough();
  req.pipe(body);
  try {
    const upload = await storeUpload(body as Readable, options.importDir, options.maxUploadBytes);
    return { upload, fileName, contentType: req.headers['content-type'] ?? null };
  } finally {
    req.unpipe(body);
  }
}

/** Once a refusal is answered, the rest of the body drains briefly (so the client reads the answer), then the connection closes. */
function closeAfterAnswer(req: express.Request, res: express.Response): void {
  res.setHeader('connection', 'close');
  res.on('finish', () => {
    req.resume();
    setTimeout(() => req.socket.destroy(), DRAIN_MS).unref();
  });
}

function refuse(req: express.Request, res: express.Response, status: number, code: string, message: string): void {
  closeAfterAnswer(req, res);
  sendError(res, status, code, message);
}

export function mountUploadRoute(app: express.Express, orm: MikroORM, log: Logger, options: UploadOptions): void {
  app.post('/imports', async (req, res) => {
    let principal: Principal;
    const em = orm.em.fork();
    try {
      principal = await authenticateRequest(em, req.headers);
      assertImporter(principal);
    } catch (error) {
      closeAfterAnswer(req, res);
      sendFailure(res, error, log, 'upload authentication');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    const multipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    if (Number.isFinite(declared) && declared > options.maxUploadBytes + (multipart ? MULTIPART_OVERHEAD : 0)) {
      refuse(req, res, 413, 'PAYLOAD_TOO_LARGE', new UploadTooLargeError(options.maxUploadBytes).message);
      return;
    }
    try {
      await options.quota?.check(principal.actor, Number.isFinite(declared) ? declared : null);
    } catch (error) {
      if (!(error instanceof UploadQuotaExceeded)) throw error;
      log.warn({ actor: principal.actor }, 'import upload refused: daily quota used up');
      refuse(req, res, 429, 'UPLOAD_QUOTA_EXCEEDED', error.message);
      return;
    }
    let stored: StoredUpload | null = null;
    try {
      const received = multipart ? await multipartFile(req, options) : await rawFile(req, options);
      stored = received.upload;
      await options.quota?.charge(principal.actor, stored.size);
      const batch = await new ImportBatchStore(em.getKnex()).create(
        { fileName: received.fileName, contentType: received.contentType, size: stored.size, sha256: stored.sha256, storedPath: stored.path },
        principal,
      );
      await new AuditService(em, principal, req.socket.remoteAddress ?? null).record({
        action: 'import.upload',
        target: `import:${batch.id}`,
        details: { size: stored.size, sha256: stored.sha256 },
      });
      log.info({ batchId: batch.id, size: stored.size, actor: principal.actor }, 'import file uploaded');
      res.status(201).json({ id: String(batch.id), status: batch.status, fileName: batch.file_name, size: stored.size, sha256: stored.sha256 });
    } catch (error) {
      if (stored) await removeUpload(stored.path);
      if (error instanceof UploadTooLargeError) {
        log.warn({ limit: formatSize(options.maxUploadBytes), actor: principal.actor }, 'import upload refused: over the size limit');
        refuse(req, res, 413, 'PAYLOAD_TOO_LARGE', error.message);
      } else if (error instanceof BadUpload) {
        refuse(req, res, 400, 'BAD_USER_INPUT', error.message);
      } else if ((error as NodeJS.ErrnoException)?.code === 'ECONNRESET' || req.destroyed) {
        log.warn({ actor: principal.actor }, 'import upload broke off before the end');
      } else {
        sendFailure(res, error, log, 'import upload');
      }
    }
  });
}
