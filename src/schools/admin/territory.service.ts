/**
 * Regions and municipalities, created and renamed by administrators (GraphQL, the operator CLI). Codes are
 * checked once here; the school-directory import uses the same checks for the regions and municipalities it creates.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { hubError } from '../../graphql/errors';
import { Municipality } from '../../territory/municipality.entity';
import { Region } from '../../territory/region.entity';

const CODE = /^[0-9A-Za-zА-Яа-яЁё._-]{1,20}$/;
const MAX_NAME = 300;

/** Why a region or municipality code cannot be used, in Russian; null when it can. */
export function territoryCodeProblem(code: string): string | null {
  if (code === '') return 'код не указан';
  if (!CODE.test(code)) return `код «${code}» не подходит: допустимы буквы, цифры, «-», «_», «.», без пробелов, до 20 знаков`;
  return null;
}

/** Why a name cannot be used, in Russian; null when it can. */
export function territoryNameProblem(name: string): string | null {
  if (name === '') return 'наименование не указано';
  if (name.length > MAX_NAME) return `наименование длиннее ${MAX_NAME} знаков`;
  return null;
}

function checked(what: string, code: string, name: string | null): { code: string; name: string } {
  const cleanCode = code.trim();
  const codeProblem = territoryCodeProblem(cleanCode);
  if (codeProblem) throw hubError('BAD_USER_INPUT', `${what}: ${codeProblem}`, { field: 'code', value: code });
  const cleanName = (name ?? '').trim().replace(/\s+/g, ' ');
  const nameProblem = territoryNameProblem(cleanName);
  if (nameProblem) throw hubError('BAD_USER_INPUT', `${what}: ${nameProblem}`, { field: 'name' });
  return { code: cleanCode, name: cleanName };
}

export class TerritoryService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly remoteAddress: string | null = null,
  ) {}

  private audit(action: string, target: string, details: Record<string, unknown>): Promise<void> {
    return new AuditService(this.em, this.principal, this.remoteAddress).record({ action, target, details });
  }

  private async regionByCode(code: string): Promise<Region> {
    const region = await this.em.findOne(Region, { code: code.trim() });
    if (!region) throw hubError('NOT_FOUND', `Регион с кодом «${code.trim()}» в хабе не заведён (завести: createRegion или «msoko-hub region create ${code.trim()} "Наименование"»)`);
    return region;
  }

  async createRegion(input: { code: string; name: string }): Promise<Region> {
    const { code, name } = checked('Регион', input.code, input.name);
    const existing = await this.em.findOne(Region, { code });
    if (existing) throw hubError('CONFLICT', `Регион с кодом «${code}» уже заведён: «${existing.name}»`);
    const region = this.em.create(Region, { code, name });
    await this.em.persistAndFlush(region);
    await this.audit('region.create', `region:${code}`, { name });
    return region;
  }

  async renameRegion(input: { code: string; name: string }): Promise<Region> {
    const region = await this.regionByCode(input.code);
    const { name } = checked('Регион', region.code, input.name);
    const previous = region.name;
    region.name = name;
    await this.em.flush();
    await this.audit('region.rename', `region:${region.code}`, { from: previous, to: name });
    return region;
  }

  async createMunicipality(input: { regionCode: string; code: string; name: string }): Promise<Municipality> {
    const region = await this.regionByCode(input.regionCode);
    const { code, name } = checked('Муниципалитет', input.code, input.name);
    const existing = await this.em.findOne(Municipality, { region, code });
    if (existing) throw hubError('CONFLICT', `Муниципалитет с кодом «${code}» в регионе ${region.code} уже заведён: «${existing.name}»`);
    const sameName = await this.em.getConnection().execute<{ code: string }[]>(`select code from municipality where region_id = ? and lower(name) = lower(?)`, [region.id, name]);
    if (sameName.length > 0) throw hubError('CONFLICT', `Муниципалитет «${name}» в регионе ${region.code} уже заведён под кодом «${sameName[0].code}»`);
    const municipality = this.em.create(Municipality, { region, code, name });
    await this.em.persistAndFlush(municipality);
    await this.audit('municipality.create', `municipality:${region.code}/${code}`, { name });
    return municipality;
  }

  async renameMunicipality(input: { regionCode: string; code: string; name: string }): Promise<Municipality> {
    const region = await this.regionByCode(input.regionCode);
    const code = input.code.trim();
    const municipality = await this.em.findOne(Municipality, { region, code });
    if (!municipality) throw hubError('NOT_FOUND', `Муниципалитет с кодом «${code}» в регионе ${region.code} не заведён`);
    const { name } = checked('Муниципалитет', code, input.name);
    const sameName = await this.em.getConnection().execute<{ code: string }[]>(`select code from municipality where region_id = ? and lower(name) = lower(?) and id <> ?`, [region.id, name, municipality.id]);
    if (sameName.length > 0) throw hubError('CONFLICT', `Муниципалитет «${name}» в регионе ${region.code} уже есть под кодом «${sameName[0].code}»`);
    const previous = municipality.name;
    municipality.name = name;
    await this.em.flush();
    await this.audit('municipality.rename', `municipality:${region.code}/${code}`, { from: previous, to: name });
    return municipality;
  }
}
