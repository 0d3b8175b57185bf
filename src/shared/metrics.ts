/**
 * The hub's Prometheus metrics (prom-client): request latency, GraphQL operations, jobs, response cache, queue
 * depth, and the process's own (CPU, memory, heap, event-loop lag, GC). One registry per process.
 *
 * Labels come from requests (operation names, routes), so every metric keeps a bounded number of series: past
 * MAX_SERIES a new label set is counted under `other` in every label, and no client can grow the process's
 * memory or /metrics by sending names never seen before.
 */
import { collectDefaultMetrics, Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, Registry } from 'prom-client';

type Labels = Record<string, string>;

export const MAX_SERIES = 200;
const OTHER = 'other';

/** Remembers the label sets a metric has seen, and folds new ones into `other` once it holds MAX_SERIES − 1. */
class SeriesBound {
  private readonly seen = new Set<string>();

  constructor(private readonly labelNames: readonly string[]) {}

  labels(labels: Labels): Labels {
    const key = this.labelNames.map((name) => labels[name] ?? '').join('\u0000');
    if (this.seen.has(key)) return labels;
    if (this.seen.size < MAX_SERIES - 1) {
      this.seen.add(key);
      return labels;
    }
    return Object.fromEntries(this.labelNames.map((name) => [name, OTHER]));
  }
}

class Counter {
  private readonly bound: SeriesBound;
  private readonly metric: PromCounter<string>;

  constructor(registry: Registry, name: string, help: string, labelNames: string[]) {
    this.bound = new SeriesBound(labelNames);
    this.metric = new PromCounter({ name, help, labelNames, registers: [registry] });
  }

  inc(labels: Labels = {}, by = 1): void {
    this.metric.inc(this.bound.labels(labels), by);
  }
}

class Gauge {
  private readonly bound: SeriesBound;
  private readonly metric: PromGauge<string>;

  constructor(registry: Registry, name: string, help: string, labelNames: string[]) {
    this.bound = new SeriesBound(labelNames);
    this.metric = new PromGauge({ name, help, labelNames, registers: [registry] });
  }

  set(labels: Labels, value: number): void {
    this.metric.set(this.bound.labels(labels), value);
  }
}

class Histogram {
  private readonly bound: SeriesBound;
  private readonly metric: PromHistogram<string>;

  constructor(registry: Registry, name: string, help: string, labelNames: string[], buckets: number[]) {
    this.bound = new SeriesBound(labelNames);
    this.metric = new PromHistogram({ name, help, labelNames, buckets, registers: [registry] });
  }

  observe(labels: Labels, value: number): void {
    this.metric.observe(this.bound.labels(labels), value);
  }
}

class MetricsRegistry {
  readonly prom = new Registry();
  private readonly collectors: (() => Promise<void>)[] = [];
  private processMetrics = false;

  /**
   * The process's own metrics, started by the process that serves /metrics only: their event-loop and GC
   * observers are not wanted in CLI commands, the worker or tests that never expose them.
   */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.prom, prefix: 'msoko_' });
  }

  /** Runs before each scrape (e.g. reads queue depths). */
  onCollect(collector: () => Promise<void>): void {
    this.collectors.push(collector);
  }

  get contentType(): string {
    return this.prom.contentType;
  }

  async expose(): Promise<string> {
    await Promise.allSettled(this.collectors.map((collect) => collect()));
    return this.prom.metrics();
  }
}

/** The hub's metrics, one registry per process. */
export const hubMetrics = (() => {
  const registry = new MetricsRegistry();
  const r = registry.prom;
  return {
    registry,
    httpDuration: new Histogram(r, 'msoko_http_request_duration_seconds', 'HTTP request latency by route and status', ['route', 'status'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    graphqlOperations: new Counter(r, 'msoko_graphql_operations_total', 'GraphQL operations by name and outcome', ['operation', 'outcome']),
    jobs: new Counter(r, 'msoko_jobs_total', 'Background jobs by queue and outcome', ['queue', 'outcome']),
    jobDuration: new Histogram(r, 'msoko_job_duration_seconds', 'Background job processing time by queue', ['queue'], [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600]),
    queueDepth: new Gauge(r, 'msoko_queue_jobs', 'Jobs in each queue by state', ['queue', 'state']),
    responseCache: new Counter(r, 'msoko_response_cache_total', 'GraphQL query responses by cache outcome (hit, miss, bypass)', ['outcome']),
    pendingJobRequests: new Gauge(r, 'msoko_job_requests_pending', 'Job requests kept in PostgreSQL until Redis takes them', ['queue']),
  };
})();
