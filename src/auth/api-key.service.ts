import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, hubError } from '../graphql/errors';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { schoolIdsByCode } from '../territory/school-codes';
import { ApiKey } from './api-key.entity';
import { AuditService } from './audit.service';
import { SYSTEM_PRINCIPAL, type Principal } from '../shared/principal';
import { Role } from '../shared/role';

export interface NewApiKey {
  name: string;
  role: Role;
  regionCode?: string | null;
  municipalityCode?: string | null;
  /** Any school code (alias) or id. */
  schoolCode?: string | null;
  expiresAt?: Date | null;
}

export interface CreatedApiKey {
  /** The full key: shown once, never stored. */
  key: string;
  apiKey: ApiKey;
}

const KEY_PATTERN = /^msk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is refreshed at most this often, so authentication does not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface VerifiedKey {
  principal: Principal;
  /** Epoch ms, or null for a key without expiry. */
  expiresAt: number | null;
  lastUsedAt: number;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * API keys: `msk_<prefix>_<secret>`; the prefix finds the row, the secret is checked against a SHA-256 hash
 * (the secret is 256 random bits, so a slow password hash buys nothing).
 */
export class ApiKeyService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal = SYSTEM_PRINCIPAL,
    private readonly remoteAddress: string | null = null,
  ) {}

  async create(input: NewApiKey): Promise<CreatedApiKey> {
    const name = input.name.trim();
    if (!name) throw badInput('Укажите назначение ключа (name)', 'name');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput('Срок действия ключа уже истёк', 'expiresAt');
    const scope = await this.resolveScope(input);
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const apiKey = this.em.create(ApiKey, {
      name,
      prefix,
      secretHash: hashSecret(secret),
      role: input.role,
      ...scope,
      createdBy: this.principal.actor,
      expiresAt: input.expiresAt ?? null,
    });
    await this.em.persistAndFlush(apiKey);
    await new AuditService(this.em, this.principal, this.remoteAddress).record({
      action: 'apiKey.create',
      target: `key:${apiKey.id}`,
      details: { name, role: input.role, prefix, regionCode: input.regionCode ?? null, municipalityCode: input.municipalityCode ?? null, schoolCode: input.schoolCode ?? null },
    });
    return { key: `msk_${prefix}_${secret}`, apiKey };
  }

  async revoke(id: number): Promise<ApiKey> {
    const apiKey = await this.em.findOne(ApiKey, { id });
    if (!apiKey) throw hubError('NOT_FOUND', `Ключ с id ${id} не найден`);
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await this.em.flush();
      await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'apiKey.revoke', target: `key:${id}`, details: { prefix: apiKey.prefix } });
    }
    return apiKey;
  }

  /** The principal of a presented key, or null when the key is unknown, wrong, revoked or expired. */
  async authenticate(presented: string): Promise<Principal | null> {
    return (await this.verify(presented))?.principal ?? null;
  }

  /** authenticate() with what a cache of verified keys needs to know: when the key expires. */
  async verify(presented: string): Promise<VerifiedKey | null> {
    const match = KEY_PATTERN.exec(presented.trim());
    if (!match) return null;
    const [, prefix, secret] = match;
    const { rows } = await this.em.getKnex().raw(
      `select k.id, k.role, k.secret_hash, k.expires_at, k.revoked_at, k.last_used_at, k.school_id,
              coalesce(k.region_id, m.region_id, s.region_id) as region_id,
              coalesce(k.municipality_id, s.municipality_id) as municipality_id
       from api_key k
       left join municipality m on m.id = k.municipality_id
       left join school s on s.id = k.school_id
       where k.prefix = ?`,
      [prefix],
    );
    const row = rows[0];
    if (!row || row.revoked_at) return null;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const actual = Buffer.from(hashSecret(secret), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const expiresAt = row.expires_at ? new Date(row.expires_at).getTime() : null;
    if (expiresAt !== null && expiresAt <= Date.now()) return null;
    let lastUsedAt = row.last_used_at ? new Date(row.last_used_at).getTime() : null;
    if (lastUsedAt === null || Date.now() - lastUsedAt > LAST_USED_RESOLUTION_MS) {
      await this.touch(row.id);
      lastUsedAt = Date.now();
    }
    return {
      principal: {
        actor: `key:${row.id}`,
        keyId: row.id,
        role: row.role as Role,
        regionId: row.region_id,
        municipalityId: row.municipality_id,
        schoolId: row.school_id,
      },
      expiresAt,
      lastUsedAt,
    };
  }

  /** Records that the key was used (to the minute: see LAST_USED_RESOLUTION_MS). */
  async touch(keyId: number): Promise<void> {
    await this.em.getKnex().raw('update api_key set last_used_at = now() where id = ?', [keyId]);
  }

  private async resolveScope(input: NewApiKey): Promise<Pick<ApiKey, 'region' | 'municipality' | 'school'>> {
    const none = { region: null, municipality: null, school: null };
    switch (input.role) {
      case Role.ADMIN:
        return none;
      case Role.REGIONAL_IMPORTER:
      case Role.BI_READER: {
        if (!input.regionCode) throw badInput(`Для роли ${input.role} укажите регион (regionCode)`, 'regionCode');
        const region = await this.em.findOne(Region, { code: input.regionCode });
        if (!region) throw badInput(`Регион с кодом "${input.regionCode}" не найден`, 'regionCode');
        return { ...none, region };
      }
      case Role.MUNICIPAL_ANALYST: {
        if (!input.municipalityCode) throw badInput('Для роли MUNICIPAL_ANALYST укажите муниципалитет (municipalityCode)', 'municipalityCode');
        const found = await this.em.find(Municipality, { code: input.municipalityCode, ...(input.regionCode ? { region: { code: input.regionCode } } : {}) });
        if (found.length !== 1) {
          throw badInput(found.length ? `Код муниципалитета "${input.municipalityCode}" неоднозначен: укажите regionCode` : `Муниципалитет с кодом "${input.municipalityCode}" не найден`, 'municipalityCode');
        }
        return { ...none, municipality: found[0] };
      }
      case Role.SCHOOL: {
        if (!input.schoolCode) throw badInput('Для роли SCHOOL укажите ОО (schoolCode)', 'schoolCode');
        const { ids, unknown } = await schoolIdsByCode(this.em, [input.schoolCode], {});
        if (unknown.length) throw badInput(`ОО с кодом "${input.schoolCode}" не найдена`, 'schoolCode');
        return { ...none, school: this.em.getReference('School', ids[0]) as never };
      }
    }
  }
}
