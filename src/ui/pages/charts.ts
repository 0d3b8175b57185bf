import * as echarts from 'echarts';
import { esc } from '../html';

/** A chart rendered on the server to SVG by ECharts; the figure says how many series it draws (tests and screen readers). */
export interface RenderedChart {
  html: string;
  series: number;
}

const PALETTE = ['#2f5f98', '#e07b39', '#6a9a3a', '#8e6bb8', '#c0392b'];

function render(option: echarts.EChartsOption, width: number, height: number, caption: string, kind: string, series: number): RenderedChart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: 'PT Sans, Arial, sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return { html: `<figure class="chart" data-chart="${kind}" data-series="${series}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`, series };
}

/** Three-year results against the municipality, region and Russia (mean % of max: comparable across scale changes). */
export function trendChart(title: string, years: number[], series: { name: string; values: (number | null)[] }[]): RenderedChart {
  const drawn = series.filter((s) => s.values.some((v) => v !== null));
  return render(
    {
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 40, right: 16, top: 36, bottom: 48 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', min: 0, max: 100, name: '% от макс.', nameTextStyle: { fontSize: 10 } },
      series: drawn.map((s, i) => ({ name: s.name, type: 'line', data: s.values.map((v) => (v === null ? null : Math.round(v * 10) / 10)), symbolSize: 6, lineStyle: { width: i === 0 ? 3 : 1.5 }, connectNulls: false })),
    },
    360,
    240,
    `${title}: средний % от максимального балла`,
    'trend',
    drawn.length,
  );
}

/**
 * The primary-score histogram with the mark boundaries and, when the bunching indicator has one, the
 * counterfactual drawn over it: the evidence of peaks at the boundaries made visible.
 */
export function histogramChart(title: string, histogram: number[], boundaries: { mark: number; minPrimary: number }[], counterfactual: number[] | null): RenderedChart {
  const scores = histogram.map((_, i) => String(i));
  const series: echarts.SeriesOption[] = [
    {
      name: 'Участников с баллом',
      type: 'bar',
      data: histogram,
      barCategoryGap: '10%',
      markLine: {
        symbol: 'none',
        label: { formatter: (p: any) => `«${p.data.mark}»`, fontSize: 11 },
        lineStyle: { color: '#c0392b', type: 'dashed' },
        data: boundaries.map((b) => ({ xAxis: String(b.minPrimary), mark: b.mark })) as any,
      },
    },
  ];
  if (counterfactual) series.push({ name: 'Ожидаемое распределение (контрфактическое)', type: 'line', data: counterfactual.map((v) => Math.round(v * 100) / 100), smooth: true, symbol: 'none', lineStyle: { width: 2, color: '#e07b39' } });
  return render(
    {
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 36, right: 16, top: 36, bottom: 56 },
      xAxis: { type: 'category', data: scores, name: 'балл', nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    },
    560,
    260,
    `${title}: распределение первичных баллов, границы отметок${counterfactual ? ' и ожидаемое распределение' : ''}`,
    'histogram',
    series.length,
  );
}

/** Journal agreement per assessment: «понизили / подтвердили / повысили», % of participants with both marks. */
export function journalChart(title: string, rows: { label: string; lowered: number; confirmed: number; raised: number }[]): RenderedChart {
  const share = (r: (typeof rows)[number], v: number) => {
    const total = r.lowered + r.confirmed + r.raised;
    return total ? Math.round((1000 * v) / total) / 10 : 0;
  };
  const series = [
    { name: 'Понизили', values: rows.map((r) => share(r, r.lowered)) },
    { name: 'Подтвердили', values: rows.map((r) => share(r, r.confirmed)) },
    { name: 'Повысили', values: rows.map((r) => share(r, r.raised)) },
  ];
  return render(
    {
      title: { text: title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 110, right: 16, top: 36, bottom: 40 },
      xAxis: { type: 'value', max: 100, name: '%' },
      yAxis: { type: 'category', data: rows.map((r) => r.label) },
      color: ['#6a9a3a', '#9aa7b4', '#c0392b'],
      series: series.map((s) => ({ name: s.name, type: 'bar', stack: 'journal', data: s.values, label: { show: true, fontSize: 10, formatter: (p: any) => (p.value >= 8 ? `${p.value}` : '') } })),
    },
    560,
    Math.max(160, 70 + rows.length * 26),
    `${title}: сравнение отметок ВПР с отметками по журналу`,
    'journal',
    series.length,
  );
}

/** A small three-year trend for ranked lists. */
export function sparkline(values: (number | null)[], years: number[]): RenderedChart {
  return render(
    {
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, data: years.map(String) },
      yAxis: { type: 'value', show: false, min: 0, max: 100 },
      series: [{ type: 'line', data: values, symbolSize: 4, lineStyle: { width: 2 } }],
    },
    120,
    36,
    `Средний % от максимума по ВПР: ${values.map((v) => (v === null ? '—' : Math.round(v))).join(' → ')}`,
    'sparkline',
    1,
  );
}
