/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
  :root { --ink: #1d2733; --muted: #5d6b7a; --line: #d6dde5; --accent: #2f5f98; }
  * { box-sizing: border-box; }
  body { font-family: "PT Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0; background: #f6f8fa; }
  header.top { background: var(--accent); color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: baseline; }
  header.top a { color: #fff; }
  main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
  h1 { font-size: 22px; margin: 12px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
  h3 { font-size: 15px; margin: 16px 0 6px; }
  .muted { color: var(--muted); } .small { font-size: 12px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
  th { background: #eef2f6; }
  .zone { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; }
  .zone-NONE { background: #e3efe3; color: #2e6b2e; } .zone-WATCH { background: #fff3cd; color: #7a5b00; }
  .zone-RISK { background: #ffdfc7; color: #8a3b00; } .zone-HIGH_RISK { background: #f8c9c9; color: #8a1010; }
  .charts { display: flex; flex-wrap: wrap; gap: 12px; } figure.chart { margin: 0; border: 1px solid var(--line); padding: 4px; }
  figure.chart figcaption { font-size: 12px; color: var(--muted); padding: 2px 4px; }
  form.filters { display: flex; gap: 12px; align-items: end; margin: 8px 0; font-size: 13px; }
  .marker { margin: 4px 0; } .marker b { font-weight: 600; }
  @media print {
    @page { size: A4; margin: 12mm; }
    body { background: #fff; } header.top, form.filters, .no-print { display: none; }
    main { max-width: none; padding: 0; } h2 { break-after: avoid; } figure.chart, table tr { break-inside: avoid; }
  }`;

/** The page shell: Russian, self-contained (no external requests), printable to A4. */
export function page(title: string, body: string, nav = true): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${nav ? `<header class="top"><strong>МСОКО · хаб данных</strong><a href="/graphql">GraphQL IDE</a><a href="/admin/queues">Задачи</a><a href="/pages">Отчёты</a><form method="post" action="/logout" style="margin-left:auto"><button>Выйти</button></form></header>` : ''}
<main>${body}</main></body></html>`;
}
