/**
 * Import profiles: a saved way of reading one kind of a region's files — layout, column mapping (with fields given as
 * values) and constants — under a name (table import_profile). A regional centre saves and uses its region's profiles
 * and the hub's own (region null); administrators save the hub's own or any region's, and use a name that is the hub's
 * own or found in one region only.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { Role } from '../../auth/role';
import { ownRegionId, sharedOrOwnRegionFragment } from '../../auth/scope';
import { badInput, hubError } from '../../graphql/errors';
import type { ColumnMapping } from '../parsing';

export interface ImportProfile {
  id: number;
  regionId: number | null;
  regionCode: string | null;
  name: string;
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
  savedBy: string;
  updatedAt: Date;
}

export interface ProfileContent {
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
}

interface Row {
  id: number;
  region_id: number | null;
  region_code: string | null;
  name: string;
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
  saved_by: string;
  updated_at: Date;
}

const SELECT = `select p.id, p.region_id, r.code as region_code, p.name, p.layout, p.mapping, p.constants, p.saved_by, p.updated_at
  from import_profile p left join region r on r.id = p.region_id`;

const view = (row: Row): ImportProfile => ({
  id: row.id,
  regionId: row.region_id,
  regionCode: row.region_code,
  name: row.name,
  layout: row.layout,
  mapping: row.mapping,
  constants: row.constants,
  savedBy: row.saved_by,
  updatedAt: row.updated_at,
});

export class ImportProfiles {
  constructor(
    private readonly knex: Knex,
    private readonly principal: Principal,
  ) {}

  /** Profiles the key may use: its region's and the hub's own (administrators: all). */
  async list(): Promise<ImportProfile[]> {
    const usable = sharedOrOwnRegionFragment(this.principal, 'p');
    const { rows } = await this.knex.raw(`${SELECT} where ${usable.sql} order by r.code nulls first, lower(p.name)`, usable.bindings);
    return (rows as Row[]).map(view);
  }

  /** The profile a start names: the region's own before the hub's; refused in Russian when there is none. */
  async find(name: string): Promise<ImportProfile> {
    const admin = this.principal.role === Role.ADMIN;
    const usable = sharedOrOwnRegionFragment(this.principal, 'p');
    const { rows } = await this.knex.raw(`${SELECT} where lower(p.name) = lower(?) and ${usable.sql} order by p.region_id nulls last`, [name.trim(), ...usable.bindings]);
    const found = rows as Row[];
    if (found.length === 0) throw hubError('NOT_FOUND', `Профиля загрузки «${name}» нет${admin ? '' : ' у вашего региона'}. Сохраните его (saveImportProfile) или проверьте название (importProfiles).`);
    if (admin && found.length > 1 && found.every((row) => row.region_id !== null)) {
      throw badInput(`Профиль «${name}» есть у нескольких регионов (${found.map((row) => row.region_code).join(', ')}): загрузите файл ключом регионального центра нужного региона.`, 'input.profile');
    }
    return view(found.find((row) => row.region_id === null) ?? found[0]);
  }

  /** Saves (or replaces) a profile under its name in the region: the key's region, or for administrators the one named. */
  async save(name: string, regionCode: string | null, content: ProfileContent): Promise<ImportProfile> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) throw badInput('Название профиля — от 1 до 100 символов', 'input.name');
    const regionId = await this.regionFor(regionCode);
    const { rows } = await this.knex.raw(
      `insert into import_profile (region_id, name, layout, mapping, constants, saved_by) values (?, ?, ?, ?::jsonb, ?::jsonb, ?)
       on conflict (coalesce(region_id, 0), lower(name)) do update set
         name = excluded.name, layout = excluded.layout, mapping = excluded.mapping, constants = excluded.constants, saved_by = excluded.saved_by, updated_at = now()
       returning id`,
      [regionId, trimmed, content.layout, content.mapping === null ? null : JSON.stringify(content.mapping), JSON.stringify(content.constants), this.principal.actor],
    );
    const { rows: saved } = await this.knex.raw(`${SELECT} where p.id = ?`, [rows[0].id]);
    return view(saved[0]);
  }

  /** Deletes the profile of the region; false when there was none. */
  async delete(name: string, regionCode: string | null): Promise<boolean> {
    const regionId = await this.regionFor(regionCode);
    const result = await this.knex.raw(`delete from import_profile where coalesce(region_id, 0) = ? and lower(name) = lower(?)`, [regionId ?? 0, name.trim()]);
    return (result.rowCount ?? 0) > 0;
  }

  private async regionFor(regionCode: string | null): Promise<number | null> {
    if (this.principal.role !== Role.ADMIN) {
      if (regionCode !== null) {
        const { rows } = await this.knex.raw(`select id from region where code = ?`, [regionCode]);
        if (rows[0]?.id !== ownRegionId(this.principal)) throw hubError('FORBIDDEN', `Профили региона «${regionCode}» сохраняет его региональный центр или администратор.`);
      }
      return ownRegionId(this.principal);
    }
    if (regionCode === null) return null;
    const { rows } = await this.knex.raw(`select id from region where code = ?`, [regionCode]);
    if (rows.length === 0) throw hubError('NOT_FOUND', `Региона с кодом «${regionCode}» в хабе нет`);
    return rows[0].id;
  }
}

/**
 * What a start reads its file with: the profile's layout, mapping and constants, overridden by what the start gives
 * itself; field values (`fieldValues`, `mapping.values`) add to the profile's.
 */
export function withProfile(
  profile: ImportProfile | null,
  given: { layout: string | null; mapping: ColumnMapping | null; constants: Record<string, string | number>; fieldValues: Record<string, string> | null },
): { layout: string | null; mapping: ColumnMapping | null; constants: Record<string, string | number> } {
  const layout = given.layout ?? profile?.layout ?? null;
  let mapping = given.mapping ?? profile?.mapping ?? null;
  if (given.fieldValues !== null) {
    if (mapping === null) throw badInput('Значения полей (fieldValues) задаются вместе с сопоставлением столбцов — в запросе или в профиле', 'input.fieldValues');
    mapping = { ...mapping, values: { ...(mapping.values ?? {}), ...given.fieldValues } } as ColumnMapping;
  }
  return { layout: layout ?? (mapping !== null ? 'mapped' : null), mapping, constants: { ...(profile?.constants ?? {}), ...given.constants } };
}
