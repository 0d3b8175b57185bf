/**
 * Closed-loop HTTP clients for the latency benchmarks: `clients` concurrent loops, each sending the next
 * request as soon as its previous one is answered, for `seconds`. They run in a worker thread, so that
 * their own work does not queue behind the server's event loop (as a client on another machine would not).
 */
import { Worker } from 'node:worker_threads';

export interface ClosedLoopOptions {
  url: string;
  key: string;
  query: string;
  /** `variables.code` cycles through these school codes. */
  codes: string[];
  clients: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface ClosedLoopResult {
  /** Every request's latency in ms, sorted. */
  latencies: number[];
  /** Requests that failed: transport errors, HTTP errors, GraphQL errors or no school in the answer. */
  failures: number;
  /** What the response cache said, by count (x-msoko-cache). */
  cache: Record<string, number>;
}

const SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const latencies = []; const cache = {}; let failures = 0; let next = 0;
  const deadline = Date.now() + w.seconds * 1000;
  await Promise.all(Array.from({ length: w.clients }, async () => {
    while (Date.now() < deadline) {
      const code = w.codes[next++ % w.codes.length];
      const started = process.hrtime.bigint();
      try {
        const response = await fetch(w.url, { method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + w.key, ...w.headers },
          body: JSON.stringify({ query: w.query, variables: { code } }) });
        const body = await response.json();
        if (!response.ok || body.errors || !body.data || !body.data.school) failures++;
        const outcome = response.headers.get('x-msoko-cache') || 'none';
        cache[outcome] = (cache[outcome] || 0) + 1;
      } catch {
        failures++;
      }
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }));
  parentPort.postMessage({ latencies, failures, cache });
})().catch((error) => parentPort.postMessage({ error: String(error) }));`;

export function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: { ...options, headers: options.headers ?? {} } });
    worker.once('message', (message: ClosedLoopResult & { error?: string }) => {
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve({ ...message, latencies: message.latencies.sort((a, b) => a - b) });
    });
    worker.once('error', reject);
  });
}

export interface TimedTarget {
  url: string;
  /** API key, or null for a server without authentication (PostGraphile). */
  key: string | null;
  body: { query: string; variables?: Record<string, unknown> };
  headers?: Record<string, string>;
}

const SEQUENTIAL_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const send = async (t) => {
    const headers = { 'content-type': 'application/json', ...(t.headers || {}) };
    if (t.key) headers.authorization = 'Bearer ' + t.key;
    const response = await fetch(t.url, { method: 'POST', headers, body: JSON.stringify(t.body) });
    const body = await response.json();
    if (!response.ok || body.errors) throw new Error(t.url + ': ' + JSON.stringify(body.errors || response.status).slice(0, 500));
  };
  for (let i = 0; i < w.warmup; i++) for (const t of w.targets) await send(t);
  const latencies = w.targets.map(() => []);
  for (let i = 0; i < w.runs; i++) {
    for (let k = 0; k < w.targets.length; k++) {
      const started = process.hrtime.bigint();
      await send(w.targets[k]);
      latencies[k].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  parentPort.postMessage({ latencies });
})().catch((error) => parentPort.postMessage({ error: String(error) }));`;

/**
 * One request after another to each target in turn (interleaved, so that both sides of a comparison meet the
 * same machine), `runs` rounds after `warmup` rounds, from a worker thread like closedLoop's clients. Returns
 * each target's latencies in ms, in order.
 */
export function interleavedTimings(targets: TimedTarget[], runs: number, warmup: number): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SEQUENTIAL_SOURCE, { eval: true, workerData: { targets, runs, warmup } });
    worker.once('message', (message: { latencies?: number[][]; error?: string }) => {
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message.latencies!);
    });
    worker.once('error', reject);
  });
}
