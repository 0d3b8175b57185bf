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
