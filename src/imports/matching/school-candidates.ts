/**
 * School matching: for a code an import did not find, the schools of the key's region it may mean — the same ОГРН or
 * ИНН (score 1), the name the file gives next to the code compared with each school's full and short name (character
 * trigrams, Dice 0–1; school numbers that differ, «№ 1» against «№ 12», make a match unlikely), the address compared the
 * same way (at most 0.9). Kept per batch (import_school_candidate) outside
 * the import's transaction, so a rejected file still shows them; an analyst confirms one as an alias (confirmSchoolAlias)
 * and loads the file again.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { ownRegionFragment } from '../../auth/scope';

interface SchoolCandidate {
  schoolId: number;
  name: string;
  /** The school's codes (ФИС ОКО login, РЦОИ code, ИНН…), as «kind:value». */
  codes: string[];
  municipality: string;
  /** 0–1. */
  score: number;
  reasonRu: string;
}

export interface UnknownCode {
  code: string;
  schoolName: string | null;
  rows: number[];
  /** What else the file says of the school (school-results: `inn`, `ogrn`, `address`). */
  inn?: string | null;
  ogrn?: string | null;
  address?: string | null;
}

const MAX_CANDIDATES = 5;
const MIN_SCORE = 0.3;
/** Words every school name has: they say nothing about which school. */
const STOP_WORDS = new Set([
  'муниципальное', 'муниципальный', 'государственное', 'бюджетное', 'автономное', 'казенное', 'общеобразовательное', 'учреждение',
  'образовательное', 'организация', 'мбоу', 'маоу', 'мкоу', 'гбоу', 'гоу', 'моу', 'оу', 'г', 'города', 'городского', 'округа',
]);

function normalizedName(name: string): string {
  return name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"“”„'().,;:№#-]/g, ' ')
    .replace(/средняя общеобразовательная школа/g, 'сош')
    .replace(/основная общеобразовательная школа/g, 'оош')
    .replace(/начальная общеобразовательная школа/g, 'нош')
    .replace(/(\d+)/g, ' $1 ')
    .split(/\s+/)
    .filter((word) => word !== '' && !STOP_WORDS.has(word))
    .join(' ');
}

function trigrams(text: string): Map<string, number> {
  const padded = `  ${text} `;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const gram = padded.slice(i, i + 3);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

const numbers = (text: string): string => (text.match(/\d+/g) ?? []).join(' ');

/** Dice coefficient of the names' trigrams; 0.2 of it when both name a school number and the numbers differ. */
function nameSimilarity(a: string, b: string): number {
  return similarity(normalizedName(a), normalizedName(b), 'equal');
}

/** An address compared the same way: street words by trigrams, and a different house or postcode makes it unlikely. */
function addressSimilarity(a: string, b: string): number {
  const normal = (text: string) =>
    text
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[«»"'().,;:№#-]/g, ' ')
      .replace(/(\d+)/g, ' $1 ')
      .split(/\s+/)
      .filter((word) => word !== '' && !['ул', 'улица', 'д', 'дом', 'г', 'город', 'обл', 'область', 'пр', 'проспект', 'пер', 'переулок', 'корп', 'стр'].includes(word))
      .join(' ');
  return similarity(normal(a), normal(b), 'contained');
}

/** `equal`: both numbered and differently — unlikely; `contained`: one's numbers (a postcode may be missing) must be among the other's. */
function similarity(x: string, y: string, numbersRule: 'equal' | 'contained'): number {
  if (x === '' || y === '') return 0;
  const gx = trigrams(x);
  const gy = trigrams(y);
  let common = 0;
  let total = 0;
  for (const [gram, n] of gx) {
    common += Math.min(n, gy.get(gram) ?? 0);
    total += n;
  }
  for (const n of gy.values()) total += n;
  const dice = (2 * common) / total;
  const nx = numbers(x);
  const ny = numbers(y);
  if (nx === '' || ny === '') return dice;
  if (numbersRule === 'equal') return nx !== ny ? dice * 0.2 : dice;
  const [few, many] = nx.length <= ny.length ? [nx.split(' '), ny.split(' ')] : [ny.split(' '), nx.split(' ')];
  return few.every((n) => many.includes(n)) ? dice : dice * 0.2;
}

interface SchoolRow {
  id: number;
  name: string;
  short_name: string | null;
  ogrn: string | null;
  address: string | null;
  municipality: string;
  codes: string[];
}

/** Candidates for each unknown code, among the schools the key may load (its region; administrators: all). */
async function findCandidates(knex: Knex, principal: Principal, unknown: readonly UnknownCode[]): Promise<Map<string, SchoolCandidate[]>> {
  const result = new Map<string, SchoolCandidate[]>();
  // Candidates never cross the key's region (administrators: every region).
  const region = ownRegionFragment(principal, 's');
  const hinted = (entry: UnknownCode) => entry.schoolName !== null || !!entry.inn || !!entry.ogrn || !!entry.address;
  if (!unknown.some(hinted)) return result;
  const { rows } = await knex.raw(
    `select s.id, s.name, s.short_name, s.ogrn, s.address, m.name as municipality,
       coalesce((select array_agg(a.kind::text || ':' || a.value order by a.kind::text, a.value) from school_alias a where a.school_id = s.id), '{}') as codes
     from school s join municipality m on m.id = s.municipality_id where ${region.sql}`,
    region.bindings,
  );
  for (const entry of unknown) {
    if (!hinted(entry)) continue;
    const scored = (rows as SchoolRow[])
      .map((school): SchoolCandidate => {
        const reasons: [number, string][] = [];
        if (entry.ogrn && school.ogrn === entry.ogrn) reasons.push([1, `ОГРН совпадает (${entry.ogrn})`]);
        if (entry.inn && school.codes.includes(`INN:${entry.inn}`)) reasons.push([1, `ИНН совпадает (${entry.inn})`]);
        if (entry.schoolName !== null) {
          const full = nameSimilarity(entry.schoolName, school.name);
          const short = school.short_name === null ? 0 : nameSimilarity(entry.schoolName, school.short_name);
          reasons.push([Math.max(full, short), `похожее наименование («${entry.schoolName}» — «${short > full ? school.short_name : school.name}»)`]);
        }
        if (entry.address && school.address) reasons.push([0.9 * addressSimilarity(entry.address, school.address), `похожий адрес («${entry.address}» — «${school.address}»)`]);
        const score = Math.round(Math.max(0, ...reasons.map(([value]) => value)) * 100) / 100;
        return {
          schoolId: school.id,
          name: school.name,
          codes: school.codes,
          municipality: school.municipality,
          score,
          reasonRu: reasons.filter(([value]) => value >= MIN_SCORE).sort((a, b) => b[0] - a[0]).map(([, why]) => why).join('; '),
        };
      })
      .filter((candidate) => candidate.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score || a.schoolId - b.schoolId)
      .slice(0, MAX_CANDIDATES);
    result.set(entry.code, scored);
  }
  return result;
}

/** Keeps the unknown codes of a batch with their candidates (replacing what an earlier attempt of the batch kept). */
export async function keepUnknownCodes(knex: Knex, principal: Principal, batchId: number, unknown: readonly UnknownCode[]): Promise<void> {
  await knex.raw(`delete from import_school_candidate where batch_id = ?`, [batchId]);
  if (unknown.length === 0) return;
  const candidates = await findCandidates(knex, principal, unknown);
  const entries = unknown.map((entry) => ({ code: entry.code, school_name: entry.schoolName, rows: entry.rows, candidates: candidates.get(entry.code) ?? [] }));
  await knex.raw(
    `insert into import_school_candidate (batch_id, code, school_name, rows, candidates)
     select ?, x.code, x.school_name, array(select jsonb_array_elements_text(x.rows)::int), x.candidates
     from jsonb_to_recordset(?::jsonb) as x(code text, school_name text, rows jsonb, candidates jsonb)`,
    [batchId, JSON.stringify(entries)],
  );
}

export interface KeptUnknownCode {
  code: string;
  schoolName: string | null;
  rows: number[];
  candidates: SchoolCandidate[];
}

export async function unknownCodesOf(knex: Knex, batchId: number): Promise<KeptUnknownCode[]> {
  const { rows } = await knex.raw(`select code, school_name, rows, candidates from import_school_candidate where batch_id = ? order by rows[1], code`, [batchId]);
  return (rows as { code: string; school_name: string | null; rows: number[]; candidates: SchoolCandidate[] }[]).map((row) => ({
    code: row.code,
    schoolName: row.school_name,
    rows: row.rows,
    candidates: row.candidates,
  }));
}
