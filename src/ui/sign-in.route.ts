import express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiKeyService } from '../auth/api-key.service';
import { KEY_COOKIE } from '../auth/request-auth';
import { esc, page } from './html';

const SELF = 'http://hub.invalid';

/**
 * Where to go after signing in: a path of this hub, never another site. The URL parser decides, as a browser
 * would (`/\evil.example` and `//evil.example` are other hosts to a browser); anything else goes to /pages.
 */
function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || /[\\\u0000-\u001f]/.test(next)) return '/pages';
  try {
    const url = new URL(next, SELF);
    return url.origin === SELF ? `${url.pathname}${url.search}${url.hash}` : '/pages';
  } catch {
    return '/pages';
  }
}

/** The key is entered once here; an httpOnly cookie then serves the IDE, the dashboard and the report pages. */
export function mountSignIn(app: express.Express, orm: MikroORM): void {
  app.get('/login', (req, res) => {
    res.type('html').send(
      page(
        'Вход',
        `<h1>Вход в хаб МСОКО</h1>
         <p class="muted">Вставьте ключ доступа (его выдаёт администратор: <code>npm run key:create</code>). Ключ хранится только в cookie этого браузера.</p>
         <form method="post" action="/login"><input type="hidden" name="next" value="${esc(safeNext(req.query.next))}">
           <p><input name="key" type="password" size="70" placeholder="msk_…" autofocus></p>
           ${req.query.error ? '<p style="color:#8a1010">Ключ не принят: неизвестен, отозван или истёк.</p>' : ''}
           <p><button type="submit">Войти</button></p></form>`,
        false,
      ),
    );
  });
  app.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const key = String(req.body?.key ?? '').trim();
    const next = safeNext(req.body?.next);
    const principal = key ? await new ApiKeyService(orm.em.fork()).authenticate(key) : null;
    if (!principal) {
      res.redirect(303, `/login?error=1&next=${encodeURIComponent(next)}`);
      return;
    }
    res.cookie(KEY_COOKIE, key, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: 12 * 3600 * 1000 });
    res.redirect(303, next);
  });
  app.post('/logout', (_req, res) => {
    res.clearCookie(KEY_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });
}
