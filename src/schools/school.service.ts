import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { SYSTEM_PRINCIPAL, type Principal } from '../shared/principal';
import { Role } from '../shared/role';
import { schoolScope, schoolScopeFragment } from '../auth/scope';
import { badInput, hubError } from '../graphql/errors';
import { decodeCursor, toPage, type Page } from '../graphql/pagination';
import type { SchoolFilter } from './school-filter.input';
import { findViews, toViews } from './entity-views';
import { schoolIdsByCode } from '../territory/school-codes';
import { School } from '../territory/school.entity';

/**
 * Reads schools within the principal's scope: listing with filters and keyset pagination, and resolution of
 * any alias. A school outside the scope is as invisible as one that does not exist. Schools come back as
 * read-only views (src/schools/entity-views.ts), not managed entities.
 */
export class SchoolService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal = SYSTEM_PRINCIPAL,
  ) {}

  async list(filter: SchoolFilter | null | undefined, first: number, after?: string | null, fixed: FilterQuery<School> = {}): Promise<Page<School>> {
    const where = this.where(filter, fixed);
    const afterId = decodeCursor(after);
    const rows = await findViews(this.em, School, afterId === null ? where : { $and: [where, { id: { $gt: afterId } }] }, {
      orderBy: { id: 'asc' },
      limit: first + 1,
    });
    return toPage(rows, first, () => this.em.count(School, where));
  }

  /** Any alias (ФИС ОКО login, РЦОИ code, ИНН) or the hub's own id resolves the school. */
  async findByCode(code: string): Promise<School | null> {
    const value = code.trim();
    if (value === '') throw badInput('Код ОО не может быть пустым', 'code');
    const scope = schoolScopeFragment(this.principal, 's');
    const rows = await this.em.getConnection().execute(
      `select s.* from school s where s.id in (select a.school_id from school_alias a where a.value = ?) and ${scope.sql}`,
      [value, ...scope.bindings],
      'all',
    );
    const schools = new Map(toViews(this.em, School, rows).map((school) => [school.id, school]));
    if (schools.size > 1) {
      throw hubError('CONFLICT', `Код "${value}" относится к нескольким ОО (${[...schools.keys()].join(', ')}); укажите другой код`);
    }
    return [...schools.values()][0] ?? null;
  }

  /** Many codes (aliases or numeric ids) within the scope: the ids in the order given and the codes that matched nothing. */
  resolveMany(codes: string[]): Promise<{ ids: number[]; unknown: string[] }> {
    return schoolIdsByCode(this.em, codes, schoolScope(this.principal));
  }

  /** Codes or ids to school ids within the scope; unknown (or out-of-scope) ones are an error naming them. */
  async resolveKnownIds(codes: string[], field = 'input.schools'): Promise<number[]> {
    const { ids, unknown } = await this.resolveMany(codes);
    if (unknown.length) throw badInput(`ОО не найдены по кодам: ${unknown.slice(0, 20).join(', ')}`, field);
    return ids;
  }

  /**
   * The schools a recompute asked for by this principal covers: the named ones, else every school within the
   * scope; null (all schools) only for administrators naming none.
   */
  async recomputeSchoolIds(codes: string[] | null | undefined): Promise<number[] | null> {
    if (codes) return this.resolveKnownIds(codes);
    return this.principal.role === Role.ADMIN ? null : this.idsInScope();
  }

  /** Every school id within the scope (for scoped bulk work such as recomputes). */
  async idsInScope(): Promise<number[]> {
    const rows = await this.em.find(School, schoolScope(this.principal), { fields: ['id'], orderBy: { id: 'asc' } });
    return rows.map((school) => school.id);
  }

  async findById(id: number): Promise<School | null> {
    return (await findViews(this.em, School, { $and: [{ id }, schoolScope(this.principal)] }))[0] ?? null;
  }

  private where(filter: SchoolFilter | null | undefined, fixed: FilterQuery<School>): FilterQuery<School> {
    const conditions: FilterQuery<School>[] = [fixed, schoolScope(this.principal)];
    if (filter?.regionCode) conditions.push({ region: { code: filter.regionCode } });
    if (filter?.municipalityCodes?.length) conditions.push({ municipality: { code: { $in: filter.municipalityCodes } } });
    if (filter?.types?.length) conditions.push({ type: { $in: filter.types } });
    if (filter?.urban != null) conditions.push({ urban: filter.urban });
    if (filter?.nameContains) conditions.push({ name: { $ilike: `%${escapeLike(filter.nameContains)}%` } });
    return { $and: conditions };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
