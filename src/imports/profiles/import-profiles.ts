/**
 * Import profiles: a saved way of reading one kind of a region's files — layout, column mapping (with fields given as
 * values), constants, and the file options (CSV encoding and separator, XLSX sheet, JSON records path, the policy for rows in error) — under
 * a name (table import_profile). A regional centre saves and uses its region's profiles
 * and the hub's own (region null); administrators save the hub's own or any region's, and use a name that is the hub's
 * own or found in one region only.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import { ownRegionId, sharedOrOwnRegionFragment } from '../../auth/scope';
import { badInput, hubError } from '../../graphql/errors';
import type { ReadOptions } from '../batch/import-batch.store';
import { ImportPolicy } from '../batch/import-status';
import { recordsPathKeys, type ColumnMapping } from '../parsing';

/**
 * How the file is read and what happens to rows in error: the start's own options come first, each on its own, then the
 * profile's; none — detected (encoding, separator, first visible sheet), resp. REJECT_ALL.
 */
export interface FileOptions {
  readOptions: ReadOptions;
  policy: ImportPolicy | null;
  /** For ACCEPT_VALID: the largest share of rows in error, 0–1. */
  maxErrorShare: number | null;
}

export interface ImportProfile {
  id: number;
  regionId: number | null;
  regionCode: string | null;
  name: string;
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
  file: FileOptions;
  savedBy: string;
  updatedAt: Date;
}

export interface ProfileContent {
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
  file: FileOptions;
}

interface Row {
  id: number;
  region_id: number | null;
  region_code: string | null;
  name: string;
  layout: string | null;
  mapping: ColumnMapping | null;
  constants: Record<string, string | number>;
  encoding: string | null;
  separator: ReadOptions['separator'] | null;
  sheet: string | null;
  records_path: string | null;
  policy: ImportPolicy | null;
  max_error_share: number | null;
  saved_by: string;
  updated_at: Date;
}

const SELECT = `select p.id, p.region_id, r.code as region_code, p.name, p.layout, p.mapping, p.constants, p.encoding, p.separator, p.sheet,
    p.records_path, p.policy, p.max_error_share, p.saved_by, p.updated_at
  from import_profile p left join region r on r.id = p.region_id`;

/** Read options without the ones not given (as startImport passes them on); a records path that cannot be one is refused. */
export function givenReadOptions(options: { encoding?: string | null; separator?: string | null; sheet?: string | null; recordsPath?: string | null }): ReadOptions {
  const given = Object.fromEntries(
    Object.entries({ encoding: options.encoding, separator: options.separator, sheet: options.sheet, recordsPath: options.recordsPath }).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as ReadOptions;
  if (given.recordsPath !== undefined) {
    const keys = recordsPathKeys(given.recordsPath);
    if (!Array.isArray(keys)) throw badInput(`Путь к записям JSON (recordsPath): ${keys.reasonRu}`, 'input.recordsPath');
  }
  return given;
}

const view = (row: Row): ImportProfile => ({
  id: row.id,
  regionId: row.region_id,
  regionCode: row.region_code,
  name: row.name,
  layout: row.layout,
  mapping: row.mapping,
  constants: row.constants,
  file: { readOptions: givenReadOptions({ ...row, recordsPath: row.records_path }), policy: row.policy, maxErrorShare: row.max_error_share },
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
    checkPolicy(content.file, 'input');
    const regionId = await this.regionFor(regionCode);
    const { readOptions, policy, maxErrorShare } = content.file;
    const { rows } = await this.knex.raw(
      `insert into import_profile (region_id, name, layout, mapping, constants, encoding, separator, sheet, records_path, policy, max_error_share, saved_by)
       values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
       on conflict (coalesce(region_id, 0), lower(name)) do update set
         name = excluded.name, layout = excluded.layout, mapping = excluded.mapping, constants = excluded.constants, encoding = excluded.encoding,
         separator = excluded.separator, sheet = excluded.sheet, records_path = excluded.records_path, policy = excluded.policy, max_error_share = excluded.max_error_share,
         saved_by = excluded.saved_by, updated_at = now()
       returning id`,
      [
        regionId, trimmed, content.layout, content.mapping === null ? null : JSON.stringify(content.mapping), JSON.stringify(content.constants),
        readOptions.encoding ?? null, readOptions.separator ?? null, readOptions.sheet ?? null, readOptions.recordsPath ?? null, policy, policy === ImportPolicy.ACCEPT_VALID ? maxErrorShare : null, this.principal.actor,
      ],
    );
    const { rows: saved } = await this.knex.raw(`${SELECT} where p.id = ?`, [rows[0].id]);
    return view(saved[0]);
  }

  /** Deletes the profile of the region: what it was (for the audit), or null when there was none. */
  async delete(name: string, regionCode: string | null): Promise<{ id: number; name: string; regionCode: string | null } | null> {
    const regionId = await this.regionFor(regionCode);
    const { rows } = await this.knex.raw(
      `with deleted as (delete from import_profile where coalesce(region_id, 0) = ? and lower(name) = lower(?) returning id, name, region_id)
       select d.id, d.name, r.code as region_code from deleted d left join region r on r.id = d.region_id`,
      [regionId ?? 0, name.trim()],
    );
    const row = rows[0] as { id: number; name: string; region_code: string | null } | undefined;
    return row === undefined ? null : { id: row.id, name: row.name, regionCode: row.region_code };
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

/** ACCEPT_VALID needs the largest share of rows in error it accepts: the same rule for a start and for a profile. */
function checkPolicy(file: Pick<FileOptions, 'policy' | 'maxErrorShare'>, argument: string): void {
  if (file.policy === ImportPolicy.ACCEPT_VALID && file.maxErrorShare === null) {
    throw badInput('Для правила ACCEPT_VALID укажите maxErrorShare — наибольшую долю строк с ошибками (0–1)', `${argument}.maxErrorShare`);
  }
}

/**
 * What a start reads its file with: the profile's layout, mapping, constants and file options, overridden by what the
 * start gives itself (each read option, the policy and the share on their own); field values (`fieldValues`,
 * `mapping.values`) add to the profile's.
 */
export function withProfile(
  profile: ImportProfile | null,
  given: { layout: string | null; mapping: ColumnMapping | null; constants: Record<string, string | number>; fieldValues: Record<string, string> | null; file: FileOptions },
): { layout: string | null; mapping: ColumnMapping | null; constants: Record<string, string | number>; file: FileOptions & { policy: ImportPolicy } } {
  const layout = given.layout ?? profile?.layout ?? null;
  let mapping = given.mapping ?? profile?.mapping ?? null;
  if (given.fieldValues !== null) {
    if (mapping === null) throw badInput('Значения полей (fieldValues) задаются вместе с сопоставлением столбцов — в запросе или в профиле', 'input.fieldValues');
    mapping = { ...mapping, values: { ...(mapping.values ?? {}), ...given.fieldValues } } as ColumnMapping;
  }
  const policy = given.file.policy ?? profile?.file.policy ?? ImportPolicy.REJECT_ALL;
  const file = {
    readOptions: { ...(profile?.file.readOptions ?? {}), ...given.file.readOptions },
    policy,
    maxErrorShare: policy === ImportPolicy.ACCEPT_VALID ? (given.file.maxErrorShare ?? profile?.file.maxErrorShare ?? null) : null,
  };
  checkPolicy(file, 'input');
  return { layout: layout ?? (mapping !== null ? 'mapped' : null), mapping, constants: { ...(profile?.constants ?? {}), ...given.constants }, file };
}
