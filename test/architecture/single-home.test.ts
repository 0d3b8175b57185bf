import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AnalyticsFilter } from '../../src/comparisons/bi/analytics-filter';
import { ComparisonFilter } from '../../src/comparisons/compare/compare.args';
import { AssessmentFilterFields } from '../../src/comparisons/shared/assessment-filter.input';

/*
 * One home for each concept that was once written in several places (issue 19). These read the source as text:
 * a failure names the file and line, and the fix is to use the home named in the test, not to widen the test.
 */

const ROOT = join(__dirname, '..', '..');

interface SourceFile {
  path: string;
  lines: string[];
}

function sources(folder: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push({ path: relative(ROOT, full), lines: readFileSync(full, 'utf8').split('\n') });
    }
  };
  walk(join(ROOT, folder));
  return files;
}

const CODE = sources('src');

/** `path:line  text` for each line matching `pattern`, in files `where` accepts. */
function occurrences(pattern: RegExp, where: (path: string) => boolean = () => true): string[] {
  return CODE.filter((file) => where(file.path)).flatMap((file) =>
    file.lines.flatMap((line, index) => (pattern.test(line) ? [`${file.path}:${index + 1}  ${line.trim()}`] : [])),
  );
}

const filesMatching = (pattern: RegExp) => [...new Set(occurrences(pattern).map((hit) => hit.split(':')[0]))].sort();

describe('scope has one home: src/auth/scope.ts', () => {
  const outsideAuth = (path: string) => !path.startsWith('src/auth/');
  const SCOPE_ID = /principal!?\.(regionId|municipalityId|schoolId)\b/;

  /**
   * Reading a principal's scope ids outside src/auth is allowed only where no condition is built from them:
   * each entry says what the file does with them.
   */
  const READS_SCOPE_IDS_WITHOUT_CONDITIONS: Record<string, string> = {
    'src/graphql/response-cache/response-cache.ts': 'part of the cache key',
    'src/comparisons/context/context-model.service.ts': 'a non-admin key’s own region as the default region of a model',
  };

  /**
   * Work in progress elsewhere (a file or folder) that still builds its scope by hand, with the fragment it should
   * use; remove the entry when it does.
   */
  const PENDING: Record<string, string> = {};
  const checked = (path: string) => outsideAuth(path) && !Object.keys(PENDING).some((prefix) => path.startsWith(prefix));

  it('no file outside src/auth reads a principal’s region, municipality or school except those listed', () => {
    const readers = [...new Set(occurrences(SCOPE_ID, checked).map((hit) => hit.split(':')[0]))].sort();
    expect(readers.filter((path) => !(path in READS_SCOPE_IDS_WITHOUT_CONDITIONS))).toEqual([]);
  });

  it('no SQL outside src/auth compares a scope column with a principal’s id (use a fragment of src/auth/scope.ts)', () => {
    const SCOPE_COLUMN = /\b(region_id|municipality_id|school_id)\b|\.id\s*(=|<>|in)\s*\?/;
    const built = CODE.filter((file) => checked(file.path)).flatMap((file) =>
      file.lines.flatMap((line, index) => {
        if (!SCOPE_ID.test(line)) return [];
        const statement = file.lines.slice(Math.max(0, index - 4), index + 2).join('\n');
        return SCOPE_COLUMN.test(statement) ? [`${file.path}:${index + 1}  ${line.trim()}`] : [];
      }),
    );
    expect(built).toEqual([]);
  });

  it('no SQL outside src/auth chooses a condition by role inline', () => {
    // e.g. `${admin ? '' : 'where region_id = ?'}` or `role === Role.ADMIN ? 'true' : 'm.region_id = ?'`
    const byRole = /(admin|Role\.\w+|\.role\b)[^?]*\?\s*(''|'true'|'false'|null)?\s*:?\s*['`][^'`]*\b(region_id|municipality_id|school_id)\b/;
    expect(occurrences(byRole, checked)).toEqual([]);
  });

  it('the raw-SQL scope fragments are defined in src/auth/scope.ts only', () => {
    expect(filesMatching(/export function \w*Scope\w*(Fragment|Sql)\b/)).toEqual(['src/auth/scope.ts']);
  });
});

describe('SQL text helpers have one home: src/shared/sql.ts', () => {
  it('one COPY text escaping', () => {
    // The escape set of COPY's text format as a character class, or a function named for COPY escaping.
    expect(filesMatching(/\[\\\\\\t\\n\\r\]|function \w*(copy\w*(text|escape)|escape\w*copy)\w*\s*\(/i)).toEqual(['src/shared/sql.ts']);
  });

  it('one array literal builder, and no literal joined by hand', () => {
    expect(filesMatching(/function \w*ArrayLiteral\s*\(|function arrayLiteral\s*\(/)).toEqual(['src/shared/sql.ts']);
    // `{${values.join(',')}}` — unquoted and unchecked; use arrayLiteral or intArrayLiteral.
    expect(occurrences(/`\{\$\{[^`]*\.join\(','\)\}\}`/, (path) => path !== 'src/shared/sql.ts')).toEqual([]);
  });

  it('one SqlFragment', () => {
    expect(filesMatching(/^export (interface|type) SqlFragment\b/)).toEqual(['src/shared/sql.ts']);
  });
});

describe('other single homes', () => {
  it('school codes are resolved for mutations by SchoolService, and for comparisons by resolveSchoolCodes', () => {
    expect(filesMatching(/ОО не найдены по кодам/)).toEqual(['src/comparisons/shared/school-codes.ts', 'src/schools/school.service.ts']);
  });

  it('the BI and comparison filters share their assessment fields', () => {
    expect(Object.getPrototypeOf(AnalyticsFilter)).toBe(AssessmentFilterFields);
    expect(Object.getPrototypeOf(ComparisonFilter)).toBe(AssessmentFilterFields);
  });

  it('resolvers do not write SQL (services and repositories do)', () => {
    expect(occurrences(/\b(insert into|update \w+ set|delete from)\b/i, (path) => path.endsWith('.resolver.ts'))).toEqual([]);
  });
});

describe('jobs: the engine in src/jobs, each job in its feature, one recompute chain', () => {
  /** Relative import specifiers of a file, resolved against the repository root. */
  const importsOf = (file: SourceFile) =>
    file.lines.flatMap((line) => {
      const spec = /from '(\.{1,2}\/[^']+)'/.exec(line)?.[1];
      return spec ? [relative(ROOT, join(ROOT, file.path, '..', spec))] : [];
    });

  it('the queue engine imports no feature (only itself and src/shared, where the principal it records lives)', () => {
    const allowed = (target: string) => /^src\/(jobs|shared)\//.test(target);
    const reaching = CODE.filter((file) => file.path.startsWith('src/jobs/')).flatMap((file) => importsOf(file).filter((t) => !allowed(t)).map((t) => `${file.path} → ${t}`));
    expect(reaching).toEqual([]);
  });

  it('a feature’s job is registered by the worker’s entry only; no feature imports a job', () => {
    const importers = CODE.flatMap((file) => importsOf(file).filter((t) => t.endsWith('.job')).map((t) => `${file.path} → ${t}`));
    expect(importers.filter((edge) => !edge.startsWith('src/app/workers.ts'))).toEqual([]);
    expect(importers.length).toBeGreaterThanOrEqual(4);
  });

  it('recompute requests are built in src/jobs/recompute-chain.ts only', () => {
    const REQUEST = /(queue|name):\s*(QUEUE_NAMES|JOB_NAMES)\.(aggregates|risk|recommendations|recomputeAggregates|recomputeRisk|recomputeRecommendations)\b/;
    expect(occurrences(REQUEST, (path) => path !== 'src/jobs/recompute-chain.ts' && path !== 'src/app/workers.ts')).toEqual([]);
  });
});
