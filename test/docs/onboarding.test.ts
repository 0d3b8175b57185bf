import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';

/**
 * docs/onboarding.md walked exactly: the `npx msoko-hub …` commands of its «The steps» block, in order, against a
 * fresh hub (an empty database and an administrator's key), then its GraphQL query.
 */
const ROOT = join(__dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'onboarding.md'), 'utf8');

/** The fenced block of `lang` that follows `heading`. */
function block(heading: string, lang: string): string {
  const from = PAGE.indexOf(heading);
  if (from < 0) throw new Error(`docs/onboarding.md has no «${heading}»`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(PAGE.slice(from));
  if (!match) throw new Error(`no ${lang} block after «${heading}»`);
  return match[1];
}

/** Words of a shell line: spaces separate, double quotes group. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

const COMMANDS = block('## The steps', 'sh')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.startsWith('npx msoko-hub '))
  .map((line) => words(line).slice(2));

/** School results the page's files leave: ВПР 4 schools × 3 years, ОГЭ 4 + 4 + 3 (Лесная ООШ absent in 2025), ЕГЭ 3 × 3. */
const EXPECTED_RESULTS = 12 + 11 + 9;

describe('docs/onboarding.md: a region from nothing', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start({ seed: false });
  }, 60_000);
  afterAll(() => hub.stop());

  it('the page lists the steps it promises', () => {
    expect(COMMANDS.map((args) => args.slice(0, 2).join(' '))).toEqual([
      'region create',
      'municipality create',
      'import docs/onboarding/01-schools.csv',
      'import docs/onboarding/02-scales.csv',
      'import docs/onboarding/03-vpr-2023-math-4.csv',
      'import docs/onboarding/04-vpr-2024-math-4.csv',
      'import docs/onboarding/05-vpr-2025-math-4.csv',
      'import docs/onboarding/06-oge-2023-math.csv',
      'import docs/onboarding/07-oge-2024-math.csv',
      'import docs/onboarding/08-oge-2025-math.csv',
      'import docs/onboarding/09-ege-2023-russian.csv',
      'import docs/onboarding/10-ege-2024-russian.csv',
      'import docs/onboarding/11-ege-2025-russian.csv',
      'import docs/onboarding/12-benchmarks.csv',
    ]);
  });

  it('every command of the page runs on a fresh hub and exits 0, leaving what the page says', async () => {
    expect(await hub.sql(`select count(*)::int as n from region`)).toEqual([{ n: 0 }]);
    const outputs: string[] = [];
    for (const args of COMMANDS) {
      const run = await runCli(args, { MSOKO_URL: hub.baseUrl, MSOKO_KEY: hub.keys.admin });
      expect({ args, code: run.code, stderr: run.code === 0 ? '' : run.stderr, stdout: run.code === 0 ? '' : run.stdout }).toEqual({ args, code: 0, stderr: '', stdout: '' });
      outputs.push(run.stdout);
    }
    const [region, municipality, schools, scales, vpr2023, vpr2024, vpr2025, oge2023, oge2024, oge2025, ege2023, ege2024, ege2025, benchmarks] = outputs;
    expect(region).toBe('Регион заведён: 98 «Приозёрная область»\n');
    expect(municipality).toBe('Муниципалитет заведён: 9801 «Приозёрский ГО» (регион 98)\n');
    expect(schools).toMatch(/— готово \(формат schools\)/);
    expect(schools).toContain('Заведены муниципалитеты (1): 9802 «Лесной МР».');
    expect(schools).toContain('Тип ОО не указан(а) у ОО: 1');
    expect(schools).toContain('Местность не указан(а) у ОО: 1');
    expect(scales).toMatch(/— готово \(формат assessment-scales\)/);
    for (const vpr of [vpr2023, vpr2024, vpr2025]) expect(vpr).toMatch(/— готово \(формат fisoko-vpr-individual\)/);
    expect(vpr2025).toContain('Отсутствовали (не писали работу): 2 — эти строки не записаны и ошибками не считаются.');
    for (const gia of [oge2023, oge2024, oge2025, ege2023, ege2024, ege2025]) {
      expect(gia).toMatch(/— готово \(формат gia-protocol\)/);
      expect(gia).toContain('Столбцы с персональными данными не загружены и нигде не сохранены: «Фамилия», «Имя», «Отчество».');
    }
    // Every row of the ГИА protocols went in (the 2025 ОГЭ's absent participant is skipped, not an error).
    expect([oge2023, oge2024, oge2025, ege2023, ege2024, ege2025].map((gia) => /Загружено строк: (\d+ из \d+)/.exec(gia)?.[1])).toEqual(
      ['7 из 7', '7 из 7', '5 из 6', '5 из 5', '5 из 5', '5 из 5'],
    );
    expect(oge2025).toContain('Отсутствовали (не писали работу): 1');
    expect(benchmarks).toMatch(/— готово \(формат benchmarks\)/);

    expect(await hub.sql(`select r.code, m.code as municipality, count(s.id)::int as schools from region r join municipality m on m.region_id = r.id
                          left join school s on s.municipality_id = m.id group by r.code, m.code order by m.code`)).toEqual([
      { code: '98', municipality: '9801', schools: 2 },
      { code: '98', municipality: '9802', schools: 2 },
    ]);
    expect(
      await hub.sql(`select a.procedure, a.year, count(pr.*)::int as participants, min(pr.primary_score) >= 0 as scored
                     from assessment a join participant_result pr on pr.assessment_id = a.id and pr.year = a.year group by a.procedure, a.year order by a.procedure::text, a.year`),
    ).toEqual([
      { procedure: 'EGE', year: 2023, participants: 5, scored: true },
      { procedure: 'EGE', year: 2024, participants: 5, scored: true },
      { procedure: 'EGE', year: 2025, participants: 5, scored: true },
      { procedure: 'OGE', year: 2023, participants: 7, scored: true },
      { procedure: 'OGE', year: 2024, participants: 7, scored: true },
      { procedure: 'OGE', year: 2025, participants: 5, scored: true },
      { procedure: 'VPR', year: 2023, participants: 12, scored: true },
      { procedure: 'VPR', year: 2024, participants: 12, scored: true },
      { procedure: 'VPR', year: 2025, participants: 10, scored: true },
    ]);
    // The 2024 file gave bare labels: its tasks took their maxima from the scale, sub-tasks kept as numbered.
    expect(await hub.sql(`select tasks from assessment where procedure = 'VPR' and year = 2024`)).toEqual([
      {
        tasks: [
          { number: '1', level: 'BASIC', maxPoints: 1 },
          { number: '2', level: 'BASIC', maxPoints: 1 },
          { number: '3(1)', level: 'BASIC', maxPoints: 1 },
          { number: '3(2)', level: 'ADVANCED', maxPoints: 2 },
          { number: '4', level: 'HIGH', maxPoints: 2 },
        ],
      },
    ]);
    expect(await hub.sql(`select count(*)::int as n from assessment where max_primary is null`)).toEqual([{ n: 0 }]);
    // ГИА participants are kept under keyed codes only; the ЕГЭ keeps each one's test score, the ОГЭ each one's mark.
    expect(
      await hub.sql(`select a.procedure, bool_and(pr.participant_code like 'P-%') as coded, count(pr.mark)::int as marks, count(pr.test_score)::int as test_scores
                     from participant_result pr join assessment a on a.id = pr.assessment_id and a.year = pr.year where a.procedure in ('OGE', 'EGE') group by a.procedure order by a.procedure::text`),
    ).toEqual([
      { procedure: 'EGE', coded: true, marks: 0, test_scores: 15 },
      { procedure: 'OGE', coded: true, marks: 19, test_scores: 0 },
    ]);
    // The ЕГЭ scales: no mark boundaries, the minimum test score, the essay's criteria numbered as in the scale.
    expect(await hub.sql(`select year, coalesce(cardinality(mark_boundaries), 0) as boundaries, minimum_test_score, tasks->4->>'number' as criterion
                          from assessment where procedure = 'EGE' order by year`)).toEqual([
      { year: 2023, boundaries: 0, minimum_test_score: 24, criterion: '5К1' },
      { year: 2024, boundaries: 0, minimum_test_score: 24, criterion: '5К1' },
      { year: 2025, boundaries: 0, minimum_test_score: 24, criterion: '5К1' },
    ]);
    expect(await hub.sql(`select count(*)::int as n from benchmark_result where level = 'RUSSIA'`)).toEqual([{ n: 3 }]);
  }, 300_000);

  it('the page’s query shows each school’s ВПР, ОГЭ and ЕГЭ over three years once the recomputes have run', async () => {
    const query = block('## Checking the region', 'graphql');
    const deadline = Date.now() + 90_000;
    let region: any;
    for (;;) {
      const result = await hub.gql(query);
      expect(result.errors).toBeUndefined();
      region = result.data!.region;
      const schools = region.municipalities.edges.flatMap((m: any) => m.node.schools.edges.map((s: any) => s.node));
      const results = schools.reduce((n: number, s: any) => n + s.results.length, 0);
      if (results === EXPECTED_RESULTS || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(region.name).toBe('Приозёрная область');
    const schools = region.municipalities.edges.flatMap((m: any) => m.node.schools.edges.map((s: any) => s.node));
    expect(schools.map((s: any) => [s.shortName, s.type, s.urban]).sort()).toEqual(
      [
        ['Гимназия № 2', 'GYMNASIUM', true],
        ['Лесная ООШ', null, false],
        ['СОШ № 1', 'SOSH', true],
        ['Сосновская СОШ', 'SOSH', null],
      ].sort(),
    );
    // Each school's years per procedure: three of ВПР everywhere; three of ОГЭ but at Лесная ООШ, whose only
    // ninth-former of 2025 did not come; three of ЕГЭ but at Лесная ООШ, a basic school without an eleventh grade.
    const years = (school: any, procedure: string, subject: string) =>
      school.results.filter((r: any) => r.assessment.procedure === procedure && r.assessment.subject.name === subject).map((r: any) => r.year).sort();
    expect(
      Object.fromEntries(schools.map((s: any) => [s.shortName, { VPR: years(s, 'VPR', 'Математика'), OGE: years(s, 'OGE', 'Математика'), EGE: years(s, 'EGE', 'Русский язык') }])),
    ).toEqual({
      'СОШ № 1': { VPR: [2023, 2024, 2025], OGE: [2023, 2024, 2025], EGE: [2023, 2024, 2025] },
      'Гимназия № 2': { VPR: [2023, 2024, 2025], OGE: [2023, 2024, 2025], EGE: [2023, 2024, 2025] },
      'Лесная ООШ': { VPR: [2023, 2024, 2025], OGE: [2023, 2024], EGE: [] },
      'Сосновская СОШ': { VPR: [2023, 2024, 2025], OGE: [2023, 2024, 2025], EGE: [2023, 2024, 2025] },
    });
    // What the page's query shows of the ГИА: ОГЭ marks, ЕГЭ test scores and the graduate below the minimum.
    const result = (shortName: string, procedure: string, year: number) =>
      schools.find((s: any) => s.shortName === shortName).results.find((r: any) => r.assessment.procedure === procedure && r.year === year);
    expect(result('Гимназия № 2', 'OGE', 2023)).toMatchObject({ participants: 2, count2: 0, meanPercent: expect.closeTo(80, 6), meanTestScore: null });
    expect(result('СОШ № 1', 'OGE', 2024)).toMatchObject({ participants: 3, count2: 1, meanPercent: expect.closeTo(40, 6) });
    expect(result('Гимназия № 2', 'EGE', 2023)).toMatchObject({ participants: 2, count2: null, meanTestScore: 73, belowMinimum: 0 });
    expect(result('Сосновская СОШ', 'EGE', 2024)).toMatchObject({ participants: 1, meanTestScore: 12, belowMinimum: 1 });
    expect(result('Сосновская СОШ', 'EGE', 2025)).toMatchObject({ participants: 1, meanTestScore: 50, belowMinimum: 0 });

    // The region over three years, ГИА included: the aggregates by procedure and year.
    const aggregates = await hub.gql(`{ aggregates(groupBy: [PROCEDURE, YEAR], filter: { regionCode: "98" }) { procedure year schools participants meanTestScore belowMinimum } }`);
    expect(aggregates.errors).toBeUndefined();
    const byKey = (rows: any[]) => rows.map((r) => `${r.procedure} ${r.year}: ${r.schools} ОО, ${r.participants} уч.`).sort();
    expect(byKey(aggregates.data!.aggregates)).toEqual([
      'EGE 2023: 3 ОО, 5 уч.',
      'EGE 2024: 3 ОО, 5 уч.',
      'EGE 2025: 3 ОО, 5 уч.',
      'OGE 2023: 4 ОО, 7 уч.',
      'OGE 2024: 4 ОО, 7 уч.',
      'OGE 2025: 3 ОО, 5 уч.',
      'VPR 2023: 4 ОО, 12 уч.',
      'VPR 2024: 4 ОО, 12 уч.',
      'VPR 2025: 4 ОО, 10 уч.',
    ]);
    expect(aggregates.data!.aggregates.find((r: any) => r.procedure === 'EGE' && r.year === 2024)).toMatchObject({ meanTestScore: expect.closeTo(56, 6), belowMinimum: 1 });
  }, 120_000);

  it('analyses keep a school whose type or locality is unknown, and say it is unknown instead of guessing', async () => {
    const result = await hub.gql(`{ facts(first: 100, filter: { regionCode: "98", years: [2025] }) {
      nodes { schoolLogin procedure schoolType typeFamily urban locality } } }`);
    expect(result.errors).toBeUndefined();
    const bySchool = new Map(result.data!.facts.nodes.filter((n: any) => n.procedure === 'VPR').map((n: any) => [n.schoolLogin, n]));
    expect(bySchool.get('sch980003')).toMatchObject({ schoolType: null, typeFamily: null, urban: false, locality: 'RURAL' });
    expect(bySchool.get('sch980004')).toMatchObject({ schoolType: 'SOSH', typeFamily: 'GENERAL', urban: null, locality: null });
    expect(bySchool.get('sch980002')).toMatchObject({ schoolType: 'GYMNASIUM', typeFamily: 'SELECTIVE', urban: true, locality: 'URBAN' });
    // Grouped by locality, the school with no locality is a group of its own: the analysis says how many lack it.
    const grouped = await hub.gql(`{ aggregates(groupBy: [LOCALITY], filter: { years: [2025], procedures: [VPR] }) { locality schools } }`);
    expect(grouped.errors).toBeUndefined();
    expect(grouped.data!.aggregates).toHaveLength(3);
    expect(grouped.data!.aggregates).toEqual(expect.arrayContaining([
      { locality: 'RURAL', schools: 1 },
      { locality: 'URBAN', schools: 2 },
      { locality: null, schools: 1 },
    ]));
  });
});
