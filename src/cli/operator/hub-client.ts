import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';

/** An answer of the hub that refuses the request (GraphQL errors), with the first error's code. */
export class HubRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** A refusal the operator can act on (exit 2): the hub said no, with its reason — not a wrong key or a fault of the hub. */
export function isActionableRefusal(error: unknown): error is HubRefusal {
  return error instanceof HubRefusal && error.code !== 'UNAUTHENTICATED' && error.code !== 'INTERNAL_SERVER_ERROR';
}

/**
 * Runs a command's calls to the hub; a refusal the operator can act on is written to `err` as «Отказ хаба: …» and
 * gives exit code 2 (anything else is thrown: exit 1).
 */
export async function exitCodeOfRefusal(err: NodeJS.WritableStream, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!isActionableRefusal(error)) throw error;
    err.write(`Отказ хаба: ${error.message}\n`);
    return 2;
  }
}

/** The few calls the operator CLI makes to a running hub: upload a file, GraphQL, with the key in a header. */
export class HubClient {
  private readonly baseUrl: string;

  /** `url`: the hub as the operator gives it — with or without a trailing «/» or «/graphql». */
  constructor(
    url: string,
    private readonly key: string,
  ) {
    this.baseUrl = url.replace(/\/+$/, '').replace(/\/graphql$/, '');
  }

  /** Streams the file to POST /imports, reporting bytes sent; returns the import batch id. */
  async upload(path: string, onBytes: (sent: number, total: number) => void): Promise<string> {
    const total = statSync(path).size;
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        onBytes(sent, total);
        callback(null, chunk);
      },
    });
    const body = Readable.toWeb(createReadStream(path).pipe(counter)) as unknown as ReadableStream;
    const response = await fetch(`${this.baseUrl}/imports?name=${encodeURIComponent(basename(path))}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/octet-stream', 'content-length': String(total) },
      body,
      duplex: 'half',
    } as RequestInit);
    const payload = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
    if (!response.ok || !payload.id) throw new Error(`загрузка файла не принята (HTTP ${response.status}): ${payload.error?.message ?? 'нет ответа'}`);
    return payload.id;
  }

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const payload = (await response.json().catch(() => ({ errors: [{ message: `хаб ответил HTTP ${response.status} не в формате JSON` }] }))) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (payload.errors?.length) throw new HubRefusal(payload.errors.map((e) => e.message).join('; '), payload.errors[0].extensions?.code ?? 'ERROR');
    return payload.data as T;
  }
}
