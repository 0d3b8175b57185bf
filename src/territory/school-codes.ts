import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SchoolAlias } from './school-alias.entity';
import { School } from './school.entity';

/**
 * Resolves many codes (aliases or numeric ids) among the schools `within` selects, in two statements; returns the
 * ids in the order given and the codes that matched nothing. SchoolService.resolveMany passes the principal's
 * scope; binding an API key to its school (src/auth) passes none.
 */
export async function schoolIdsByCode(em: EntityManager, codes: string[], within: FilterQuery<School>): Promise<{ ids: number[]; unknown: string[] }> {
  const values = codes.map((code) => code.trim());
  const numeric = values.filter((v) => /^\d+$/.test(v)).map(Number).filter(Number.isSafeInteger);
  const [aliases, byId] = await Promise.all([
    em.find(SchoolAlias, { value: { $in: values }, school: within }),
    numeric.length ? em.find(School, { $and: [{ id: { $in: numeric } }, within] }) : Promise.resolve([]),
  ]);
  const aliasMap = new Map(aliases.map((alias) => [alias.value, alias.school.id]));
  const idSet = new Set(byId.map((school) => school.id));
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const value of values) {
    const id = aliasMap.get(value) ?? (idSet.has(Number(value)) ? Number(value) : undefined);
    if (id === undefined) unknown.push(value);
    else ids.push(id);
  }
  return { ids: [...new Set(ids)], unknown };
}
