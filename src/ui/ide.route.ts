import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';
import { EXAMPLE_QUERIES } from './examples';

const resolve = createRequire(__filename);
/** Vendor files served from node_modules: the IDE works on a closed network, nothing comes from a CDN. */
const VENDOR: Record<string, string> = {
  'react.js': join(dirname(resolve.resolve('react/package.json')), 'umd', 'react.production.min.js'),
  'react-dom.js': join(dirname(resolve.resolve('react-dom/package.json')), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': join(dirname(resolve.resolve('graphiql/package.json')), 'graphiql.min.js'),
  'graphiql.css': join(dirname(resolve.resolve('graphiql/package.json')), 'graphiql.min.css'),
};

function idePage(): string {
  const tabs = EXAMPLE_QUERIES.map((q) => ({ query: `# ${q.title}\n${q.query}`, variables: q.variables ? JSON.stringify(q.variables, null, 2) : undefined }));
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>GraphQL IDE — хаб МСОКО</title>
<link rel="stylesheet" href="/ui/vendor/graphiql.css"><style>body{margin:0;height:100vh}#ide{height:100vh}</style></head>
<body><div id="ide"></div>
<script src="/ui/vendor/react.js"></script><script src="/ui/vendor/react-dom.js"></script><script src="/ui/vendor/graphiql.js"></script>
<script>
  // The key comes from the sign-in cookie (sent automatically, same origin); no key is kept in the page.
  const fetcher = GraphiQL.createFetcher({ url: '/graphql', fetch: (url, init) => fetch(url, { ...init, credentials: 'same-origin' }) });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs: ${JSON.stringify(tabs).replace(/</g, '\\u003c')}, defaultEditorToolsVisibility: true }));
</script></body></html>`;
}

/**
 * GET /graphql in a browser opens the IDE (GraphiQL, bundled) with the README's example queries as tabs;
 * without a sign-in cookie it goes to /login first. API clients (POST, or GET with JSON) reach Apollo as before.
 */
export function mountIde(app: express.Express): void {
  app.get('/ui/vendor/:file', (req, res) => {
    const file = VENDOR[req.params.file];
    if (!file) {
      res.status(404).end();
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
  app.get('/graphql', (req, res, next) => {
    if (!req.accepts(['application/json', 'text/html']) || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    if (!/(?:^|;\s*)msoko_key=/.test(req.headers.cookie ?? '')) {
      res.redirect(303, `/login?next=${encodeURIComponent('/graphql')}`);
      return;
    }
    res.type('html').send(idePage());
  });
}
