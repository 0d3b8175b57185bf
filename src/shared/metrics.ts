/**
 * A small Prometheus registry (counters, gauges, histograms with labels) and its text exposition format,
 * enough for request latency, job counts and durations, import throughput and queue depth.
 */
type Labels = Record<string, string>;

const labelKey = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatLabels = (labels: Labels, extra: Labels = {}) => {
  const all = { ...labels, ...extra };
  const parts = Object.entries(all).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/**
 * Series one metric keeps at most. Labels come from requests (operation names, routes): past the cap, a new
 * label set is counted under `other` in every label, so no client can grow the process's memory or /metrics.
 */
export const MAX_SERIES = 200;
const OTHER = 'other';

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}

  /** The key (and labels) a sample is kept under: its own while the metric has room, else the overflow series. */
  protected seriesOf(labels: Labels, known: ReadonlyMap<string, unknown>): { key: string; labels: Labels } {
    const key = labelKey(labels);
    if (known.has(key) || known.size < MAX_SERIES - 1) return { key, labels };
    const overflow = Object.fromEntries(Object.keys(labels).map((name) => [name, OTHER]));
    return { key: labelKey(overflow), labels: overflow };
  }

  abstract samples(): string[];

  expose(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.samples()].join('\n');
  }
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels: Labels = {}, by = 1): void {
    const series = this.seriesOf(labels, this.values);
    const key = series.key;
    const entry = this.values.get(key) ?? { labels: series.labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  samples(): string[] {
    return [...this.values.values()].map(({ labels, value }) => `${this.name}${formatLabels(labels)} ${value}`);
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(labels: Labels, value: number): void {
    const series = this.seriesOf(labels, this.values);
    this.values.set(series.key, { labels: series.labels, value });
  }

  samples(): string[] {
    return [...this.values.values()].map(({ labels, value }) => `${this.name}${formatLabels(labels)} ${value}`);
  }
}

export class Histogram extends Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    name: string,
    help: string,
    private readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
  }

  observe(labels: Labels, value: number): void {
    const series = this.seriesOf(labels, this.series);
    const key = series.key;
    const entry = this.series.get(key) ?? { labels: series.labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]++;
    });
    entry.sum += value;
    entry.count++;
    this.series.set(key, entry);
  }

  samples(): string[] {
    const lines: string[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${formatLabels(labels, { le: String(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${formatLabels(labels, { le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${sum}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  private readonly collectors: (() => Promise<void>)[] = [];

  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /** Runs before each scrape (e.g. reads queue depths). */
  onCollect(collector: () => Promise<void>): void {
    this.collectors.push(collector);
  }

  async expose(): Promise<string> {
    await Promise.allSettled(this.collectors.map((collect) => collect()));
    return `${this.metrics.map((m) => m.expose()).join('\n')}\n`;
  }
}

/** The hub's metrics, one registry per process. */
export const hubMetrics = (() => {
  const registry = new MetricsRegistry();
  return {
    registry,
    httpDuration: registry.register(new Histogram('msoko_http_request_duration_seconds', 'HTTP request latency by route and status', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])),
    graphqlOperations: registry.register(new Counter('msoko_graphql_operations_total', 'GraphQL operations by name and outcome')),
    jobs: registry.register(new Counter('msoko_jobs_total', 'Background jobs by queue and outcome')),
    jobDuration: registry.register(new Histogram('msoko_job_duration_seconds', 'Background job processing time by queue', [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600])),
    importRows: registry.register(new Counter('msoko_import_rows_total', 'Rows merged by imports, by layout')),
    importRowsPerSecond: registry.register(new Gauge('msoko_import_rows_per_second', 'Throughput of the last finished import, by layout')),
    queueDepth: registry.register(new Gauge('msoko_queue_jobs', 'Jobs in each queue by state')),
    responseCache: registry.register(new Counter('msoko_response_cache_total', 'GraphQL query responses by cache outcome (hit, miss, bypass)')),
    pendingJobRequests: registry.register(new Gauge('msoko_job_requests_pending', 'Job requests kept in PostgreSQL until Redis takes them')),
  };
})();
