import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { badInput, hubError } from '../../graphql/errors';
import { schoolScopeFragment } from '../../auth/scope';
import { jsonParam, selectRows, sqlFragment } from '../../shared/sql';

export interface ResolvedSchool {
  /** The code as the client gave it. */
  code: string;
  id: number;
  regionId: number;
  municipalityId: number;
}

interface CodeRow {
  code: string;
  id: number;
  region_id: number;
  municipality_id: number;
}

/**
 * Resolves school codes (any alias — ФИС ОКО login, РЦОИ code, ИНН — or the hub's id) within the principal's
 * scope in one statement. A code outside the scope is reported exactly like one that does not exist.
 */
export async function resolveSchoolCodes(em: EntityManager, principal: Principal, codes: readonly string[], argument: string, max: number): Promise<ResolvedSchool[]> {
  const values = codes.map((code) => code.trim());
  if (values.length === 0 || values.length > max) throw badInput(`Укажите от 1 до ${max} ОО, передано ${values.length}`, argument);
  if (values.some((v) => v === '')) throw badInput('Код ОО не может быть пустым', argument);
  const scope = schoolScopeFragment(principal, 's');
  const rows = await selectRows<CodeRow>(
    em,
    sqlFragment(
      `select q.code, s.id, s.region_id, s.municipality_id
       from jsonb_array_elements_text(?::jsonb) as q(code)
       join lateral (
         select a.school_id as id from school_alias a where a.value = q.code
         union
         select s2.id from school s2 where s2.id = case when q.code ~ '^[0-9]{1,9}$' then q.code::int end
       ) m on true
       join school s on s.id = m.id
       where ${scope.sql}`,
      [jsonParam(values), ...scope.bindings],
    ),
  );
  return collect(values, rows, argument);
}

function collect(values: string[], rows: CodeRow[], argument: string): ResolvedSchool[] {
  const byCode = new Map<string, CodeRow[]>();
  for (const row of rows) byCode.set(row.code, [...(byCode.get(row.code) ?? []), row]);
  const unknown = values.filter((v) => !byCode.has(v));
  if (unknown.length) {
    throw hubError('NOT_FOUND', `ОО не найдены по кодам: ${unknown.slice(0, 20).join(', ')}`, { argument });
  }
  const resolved: ResolvedSchool[] = [];
  const seen = new Set<number>();
  for (const value of values) {
    const matches = byCode.get(value)!;
    if (new Set(matches.map((m) => m.id)).size > 1) {
      throw hubError('CONFLICT', `Код "${value}" относится к нескольким ОО (${matches.map((m) => m.id).join(', ')}); укажите другой код`, { argument });
    }
    const { id, region_id: regionId, municipality_id: municipalityId } = matches[0];
    if (seen.has(id)) continue;
    seen.add(id);
    resolved.push({ code: value, id, regionId, municipalityId });
  }
  return resolved;
}
