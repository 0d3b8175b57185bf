import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { createTestApi, type TestApi } from '../support/graphql';

describe('API keys', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const data = new TestData(db.orm.em.fork());
    await data.municipality(await data.region('41'), '4101');
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('stores only a hash; the key authenticates until it is revoked', async () => {
    const service = new ApiKeyService(db.orm.em.fork());
    const { key, apiKey } = await service.create({ name: 'аналитик', role: Role.MUNICIPAL_ANALYST, municipalityCode: '4101' });
    expect(key).toMatch(/^msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.orm.em.getKnex().raw('select * from api_key where id = ?', [apiKey.id]);
    expect(JSON.stringify(rows[0])).not.toContain(key.split('_').slice(2).join('_'));
    const principal = await service.authenticate(key);
    expect(principal).toMatchObject({ role: Role.MUNICIPAL_ANALYST, actor: `key:${apiKey.id}`, municipalityId: expect.any(Number), regionId: expect.any(Number) });
    expect(await service.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await service.authenticate('msk_000000000000_' + 'x'.repeat(43))).toBeNull();
    await service.revoke(apiKey.id);
    expect(await service.authenticate(key)).toBeNull();
  });

  it('refuses expired keys and a role without its scope', async () => {
    const service = new ApiKeyService(db.orm.em.fork());
    const { key, apiKey } = await service.create({ name: 'временный', role: Role.ADMIN, expiresAt: new Date(Date.now() + 60_000) });
    expect(await service.authenticate(key)).not.toBeNull();
    await db.orm.em.getKnex().raw(`update api_key set expires_at = now() - interval '1 second' where id = ?`, [apiKey.id]);
    expect(await service.authenticate(key)).toBeNull();
    await expect(service.create({ name: 'x', role: Role.SCHOOL })).rejects.toThrow(/укажите ОО/);
    await expect(service.create({ name: 'x', role: Role.BI_READER, regionCode: '00' })).rejects.toThrow(/Регион с кодом "00" не найден/);
  });

  it('is created, listed and revoked through the admin API, with an audit trail', async () => {
    const created = await api.query(`mutation { createApiKey(input: { name: "РЦОИ", role: REGIONAL_IMPORTER, regionCode: "41" }) { key apiKey { id prefix role } } }`);
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data!.createApiKey;
    expect(key.startsWith(`msk_${apiKey.prefix}_`)).toBe(true);
    const listed = await api.query(`{ apiKeys { id prefix revokedAt } }`);
    expect(JSON.stringify(listed.data)).not.toContain(key);
    const revoked = await api.query(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id });
    expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
    const audit = await api.query(`{ auditLog(limit: 10) { action target actor } }`);
    expect(audit.data!.auditLog.slice(0, 2)).toEqual([
      { action: 'apiKey.revoke', target: `key:${apiKey.id}`, actor: 'test-admin' },
      { action: 'apiKey.create', target: `key:${apiKey.id}`, actor: 'test-admin' },
    ]);
    expect(JSON.stringify(audit.data)).not.toContain(key.split('_').slice(2).join('_'));
  });

  it('is created by the CLI command, printed once on the last line', () => {
    const root = join(__dirname, '..', '..');
    const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/create-key.ts', '--role', 'BI_READER', '--name', 'Superset', '--region', '41'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    expect(output.trim().split('\n').at(-1)).toMatch(/^msk_[0-9a-f]{12}_/);
  });
});
