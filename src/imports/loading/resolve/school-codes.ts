/**
 * School codes of a file → school ids, through any alias (ФИС ОКО login, РЦОИ code, ИНН, other codes), within
 * the importing key's scope: a school of another region is as unknown as one that does not exist.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../../../shared/principal';
import { schoolScopeFragment } from '../../../auth/scope';
import { arrayLiteral } from '../../../shared/sql';
import type { RowProblem } from '../loader-issues';

const CODES_PER_QUERY = 5000;

export type SchoolMatch = { kind: 'found'; schoolId: number } | { kind: 'unknown' } | { kind: 'ambiguous'; schoolIds: number[] };

export class SchoolCodeResolver {
  private readonly cache = new Map<string, number[]>();

  constructor(
    private readonly knex: Knex,
    private readonly principal: Principal,
  ) {}

  /** Looks up the codes not seen yet (one query per 5,000 new codes). */
  async resolve(codes: Iterable<string>): Promise<void> {
    const missing = [...new Set(codes)].filter((code) => !this.cache.has(code));
    for (let i = 0; i < missing.length; i += CODES_PER_QUERY) {
      const part = missing.slice(i, i + CODES_PER_QUERY);
      const scope = schoolScopeFragment(this.principal, 's');
      const { rows } = await this.knex.raw(
        `select a.value, array_agg(distinct a.school_id order by a.school_id) as ids
         from school_alias a join school s on s.id = a.school_id
         where a.value = any(?::text[]) and ${scope.sql}
         group by a.value`,
        [arrayLiteral(part), ...scope.bindings],
      );
      for (const code of part) this.cache.set(code, []);
      for (const row of rows as { value: string; ids: number[] }[]) this.cache.set(row.value, row.ids);
    }
  }

  /** Needs resolve() first. */
  match(code: string): SchoolMatch {
    const ids = this.cache.get(code) ?? [];
    if (ids.length === 1) return { kind: 'found', schoolId: ids[0] };
    return ids.length === 0 ? { kind: 'unknown' } : { kind: 'ambiguous', schoolIds: ids };
  }
}

/** The row problem for a code that did not resolve to exactly one school. */
export function schoolProblem(match: Exclude<SchoolMatch, { kind: 'found' }>, row: number, column: string, code: string): RowProblem {
  if (match.kind === 'unknown') {
    return {
      row,
      column,
      value: code,
      code: 'SCHOOL_NOT_FOUND',
      reasonRu: `ОО не найдена: кода «${code}» нет в справочнике ОО хаба — проверьте код или загрузите справочник ОО (шаблон schools)`,
    };
  }
  return {
    row,
    column,
    value: code,
    code: 'SCHOOL_CODE_AMBIGUOUS',
    reasonRu: `код «${code}» относится к нескольким ОО хаба (id ${match.schoolIds.join(', ')}) — укажите другой код школы`,
  };
}
