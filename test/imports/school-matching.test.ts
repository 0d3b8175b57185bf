/**
 * School matching (issue 22): open data whose school ids changed between versions — codes the hub does not know come
 * back in the batch with the schools of the key's region they may mean; a confirmed candidate becomes an alias and the
 * same file then goes in. Candidates never cross the key's region.
 */
import { ImportHarness } from './support/import-harness';

const MAPPING = {
  target: 'school-results',
  columns: { schoolCode: 'ID ОО', schoolName: 'Наименование ОО', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл' },
};
const START = { layout: 'mapped', mapping: MAPPING, constants: { procedure: 'ЕГЭ' } };
const CANDIDATES = `query($id: ID!) { importBatch(id: $id) { status unknownSchoolCodes { code schoolName rows candidates { schoolId name municipality codes score reasonRu } } } }`;
const CONFIRM = `mutation($input: ConfirmSchoolAliasInput!) { confirmSchoolAlias(input: $input) { schoolId schoolName code kind } }`;

describe('school matching', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  it('unknown codes come back with candidate schools of the region, a confirmed one becomes an alias, and the file goes in', async () => {
    const first = await hub.importFile('open-data/ege-2025-new-ids.csv', START, 'importer');
    expect(first.status).toBe('REJECTED');
    const { data, errors } = await hub.gql(CANDIDATES, { id: first.id }, 'importer');
    expect(errors).toBeUndefined();
    const codes = data!.importBatch.unknownSchoolCodes;
    expect(codes.map((entry: any) => [entry.code, entry.rows, entry.candidates[0]?.schoolId ?? null])).toEqual([
      ['77001', [2], String(hub.schools.sch661234.id)],
      ['77002', [3], String(hub.schools.sch661235.id)],
      // The only school so named is another region's: not offered.
      ['77003', [4], null],
    ]);
    const best = codes[0].candidates[0];
    expect(best).toMatchObject({ name: 'МАОУ «СОШ № 1»', municipality: 'Каменск-Уральский ГО', codes: expect.arrayContaining(['FISOKO_LOGIN:sch661234', 'INN:6612001234']) });
    expect(best.score).toBeGreaterThan(0.5);
    expect(best.reasonRu).toMatch(/^похожее наименование/);
    // «СОШ № 1» is not offered for «СОШ №2» above the real one.
    const second = codes[1].candidates;
    expect(second.find((candidate: any) => candidate.schoolId === String(hub.schools.sch661234.id))?.score ?? 0).toBeLessThan(second[0].score);
    expect(codes.flatMap((entry: any) => entry.candidates.map((candidate: any) => candidate.schoolId))).not.toContain(String(hub.schools.sch771001.id));

    // Another region's key cannot attach a code to this region's school; a code is one school's only.
    const foreign = await hub.gql(CONFIRM, { input: { code: '77001', schoolId: String(hub.schools.sch661234.id) } }, 'otherImporter');
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    for (const [code, school] of [['77001', hub.schools.sch661234], ['77002', hub.schools.sch661235]] as const) {
      const confirmed = await hub.gql(CONFIRM, { input: { code, schoolId: String(school.id) } }, 'importer');
      expect(confirmed.data!.confirmSchoolAlias).toEqual({ schoolId: String(school.id), schoolName: school.name, code, kind: 'OTHER' });
    }
    const taken = await hub.gql(CONFIRM, { input: { code: '77001', schoolId: String(hub.schools.sch661235.id) } }, 'importer');
    expect(taken.errors?.[0]).toMatchObject({ message: 'Код «77001» уже принадлежит другой ОО: «МАОУ «СОШ № 1»». Один код не может означать две ОО.', extensions: { code: 'CONFLICT' } });
    expect(await hub.sql(`select action, target from audit_log where action = 'schoolAlias.confirm' order by id`)).toHaveLength(2);

    // The same file again: two rows now resolve; the third stays unknown and is left out under ACCEPT_VALID.
    const again = await hub.importFile('open-data/ege-2025-new-ids.csv', { ...START, policy: 'ACCEPT_VALID', maxErrorShare: 0.5 }, 'importer', 'ege-2025-new-ids-again.csv');
    expect(again).toMatchObject({ status: 'DONE', counts: { accepted: 2, rejected: 1, inserted: 2 } });
    expect((await hub.gql(CANDIDATES, { id: again.id }, 'importer')).data!.importBatch.unknownSchoolCodes.map((entry: any) => entry.code)).toEqual(['77003']);
    expect(await hub.sql(`select school_id, mean_test_score from school_result order by school_id`)).toEqual([
      { school_id: hub.schools.sch661234.id, mean_test_score: 73.1 },
      { school_id: hub.schools.sch661235.id, mean_test_score: 69.8 },
    ]);
  });

  it('a ВПР file with a school’s new login: the participant rows’ unknown code comes back with its candidate', async () => {
    const batch = await hub.importFile('valid/vpr-changed-login.csv', {}, 'importer');
    expect(batch.status).toBe('REJECTED');
    const codes = (await hub.gql(CANDIDATES, { id: batch.id }, 'importer')).data!.importBatch.unknownSchoolCodes;
    expect(codes).toEqual([
      {
        code: 'sch661299',
        schoolName: 'МАОУ «Средняя общеобразовательная школа № 2»',
        rows: [4],
        candidates: [expect.objectContaining({ schoolId: String(hub.schools.sch661235.id), score: 1 })],
      },
    ]);
    expect((await hub.gql(CONFIRM, { input: { code: 'sch661299', schoolId: String(hub.schools.sch661235.id) } }, 'importer')).data!.confirmSchoolAlias.kind).toBe('FISOKO_LOGIN');
    const again = await hub.importFile('valid/vpr-changed-login.csv', {}, 'importer', 'vpr-changed-login-again.csv');
    expect(again).toMatchObject({ status: 'DONE', counts: { inserted: 2 } });
  });
});
