import { Client } from 'pg';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { VerifiedKeys } from '../../src/auth/verified-keys';
import { DataChangeListener } from '../../src/shared/data-changes';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { until } from '../support/processes';

describe('verified keys kept in memory', () => {
  let db: TestDatabase;
  let listener: DataChangeListener;
  let writer: Client;
  let statements: () => number;

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = new DataChangeListener(db.url, createLogger('silent'));
    await listener.start();
    writer = new Client({ connectionString: db.url });
    await writer.connect();
    let lookups = 0;
    db.orm.em.getKnex().on('query', (query: { sql: string }) => {
      if (/from\s+api_key\s+k\b/.test(query.sql)) lookups++;
    });
    statements = () => lookups;
  });
  afterAll(async () => {
    await writer.end();
    await listener.stop();
    await db.drop();
  });

  /** Creating a key notifies too: wait for that, so the notification cannot arrive after the first verification. */
  const createKey = async (input: Parameters<ApiKeyService['create']>[0]) => {
    const before = listener.keys.current();
    const created = await new ApiKeyService(db.orm.em.fork()).create(input);
    await until(() => listener.keys.current() !== before, 5000, 'the notification of the new key');
    return created;
  };

  it('verifies a key in the database once, then from memory', async () => {
    const { key } = await createKey({ name: 'аналитик', role: Role.ADMIN });
    const keys = new VerifiedKeys(listener.keys);
    const before = statements();
    const first = await keys.authenticate(db.orm.em.fork(), key);
    const second = await keys.authenticate(db.orm.em.fork(), key);
    expect(first?.role).toBe(Role.ADMIN);
    expect(second).toEqual(first);
    expect(statements() - before).toBe(1);
  });

  it('refuses a key revoked by another process as soon as the change is committed', async () => {
    const { key, apiKey } = await new ApiKeyService(db.orm.em.fork()).create({ name: 'отзываемый', role: Role.ADMIN });
    const keys = new VerifiedKeys(listener.keys);
    expect(await keys.authenticate(db.orm.em.fork(), key)).not.toBeNull();
    await writer.query('update api_key set revoked_at = now() where id = $1', [apiKey.id]);
    await until(async () => (await keys.authenticate(db.orm.em.fork(), key)) === null, 5000, 'the revocation to be noticed');
  });

  it('never keeps a wrong key, and refuses a kept key once it has expired', async () => {
    const keys = new VerifiedKeys(listener.keys);
    const { key } = await createKey({ name: 'на секунду', role: Role.ADMIN, expiresAt: new Date(Date.now() + 1500) });
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(await keys.authenticate(db.orm.em.fork(), wrong)).toBeNull();
    const before = statements();
    expect(await keys.authenticate(db.orm.em.fork(), wrong)).toBeNull();
    expect(statements() - before).toBe(1);
    expect(await keys.authenticate(db.orm.em.fork(), key)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await keys.authenticate(db.orm.em.fork(), key)).toBeNull();
  });

  it('is not made to forget by a key merely being used (last_used_at)', async () => {
    const { apiKey } = await createKey({ name: 'в работе', role: Role.ADMIN });
    const before = listener.keys.current();
    await new ApiKeyService(db.orm.em.fork()).touch(apiKey.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listener.keys.current()).toBe(before);
    await writer.query('update api_key set expires_at = now() + interval $$1 day$$ where id = $1', [apiKey.id]);
    await until(() => listener.keys.current() !== before, 5000, 'the notification of the changed expiry');
  });

  it('asks the database on every request while changes cannot be observed', async () => {
    const { key, apiKey } = await new ApiKeyService(db.orm.em.fork()).create({ name: 'без слушателя', role: Role.ADMIN });
    const blind = { current: () => null, bump: () => undefined };
    const keys = new VerifiedKeys(blind);
    expect(await keys.authenticate(db.orm.em.fork(), key)).not.toBeNull();
    await writer.query('update api_key set revoked_at = now() where id = $1', [apiKey.id]);
    expect(await keys.authenticate(db.orm.em.fork(), key)).toBeNull();
  });
});
