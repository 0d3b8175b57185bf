import { ImportHarness } from '../imports/support/import-harness';

const CREATE_REGION = `mutation($input: CreateRegionInput!) { createRegion(input: $input) { id code name } }`;
const RENAME_REGION = `mutation($input: RenameRegionInput!) { renameRegion(input: $input) { code name } }`;
const CREATE_MUNICIPALITY = `mutation($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { code name region { code } } }`;
const RENAME_MUNICIPALITY = `mutation($input: RenameMunicipalityInput!) { renameMunicipality(input: $input) { code name } }`;

/** A region from nothing: regions and municipalities through GraphQL and through the school directory. */
describe('regions and municipalities', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('an administrator creates and renames a region and a municipality; each change is audited', async () => {
    const created = await hub.gql(CREATE_REGION, { input: { code: ' 40 ', name: '  Калужская   область ' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createRegion).toMatchObject({ code: '40', name: 'Калужская область' });
    const municipality = await hub.gql(CREATE_MUNICIPALITY, { input: { regionCode: '40', code: '4001', name: 'Город Калуга' } });
    expect(municipality.data!.createMunicipality).toEqual({ code: '4001', name: 'Город Калуга', region: { code: '40' } });
    expect((await hub.gql(RENAME_REGION, { input: { code: '40', name: 'Калужская обл.' } })).data!.renameRegion).toEqual({ code: '40', name: 'Калужская обл.' });
    expect((await hub.gql(RENAME_MUNICIPALITY, { input: { regionCode: '40', code: '4001', name: 'ГО «Город Калуга»' } })).data!.renameMunicipality).toEqual({ code: '4001', name: 'ГО «Город Калуга»' });

    const regions = await hub.gql(`{ region(code: "40") { name municipalities { edges { node { code name } } } } }`);
    expect(regions.data!.region).toEqual({ name: 'Калужская обл.', municipalities: { edges: [{ node: { code: '4001', name: 'ГО «Город Калуга»' } }] } });
    const audit = await hub.sql(`select action, target, details from audit_log where action like 'region.%' or action like 'municipality.%' order by id`);
    expect(audit).toEqual([
      { action: 'region.create', target: 'region:40', details: { name: 'Калужская область' } },
      { action: 'municipality.create', target: 'municipality:40/4001', details: { name: 'Город Калуга' } },
      { action: 'region.rename', target: 'region:40', details: { from: 'Калужская область', to: 'Калужская обл.' } },
      { action: 'municipality.rename', target: 'municipality:40/4001', details: { from: 'Город Калуга', to: 'ГО «Город Калуга»' } },
    ]);
  });

  it('refuses what is not an administrator’s, taken codes, bad codes and unknown regions, in Russian, changing nothing', async () => {
    const forbidden = await hub.gql(CREATE_REGION, { input: { code: '41', name: 'Область' } }, 'importer');
    expect(forbidden.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const renameForbidden = await hub.gql(RENAME_MUNICIPALITY, { input: { regionCode: '66', code: '6608', name: 'Другое' } }, 'importer');
    expect(renameForbidden.errors![0].extensions!.code).toBe('FORBIDDEN');
    const taken = await hub.gql(CREATE_REGION, { input: { code: '66', name: 'Ещё одна' } });
    expect(taken.errors![0]).toMatchObject({ message: 'Регион с кодом «66» уже заведён: «Свердловская область»', extensions: { code: 'CONFLICT' } });
    const badCode = await hub.gql(CREATE_REGION, { input: { code: '4 2', name: 'Область' } });
    expect(badCode.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badCode.errors![0].message).toMatch(/код «4 2» не подходит/);
    const emptyName = await hub.gql(CREATE_REGION, { input: { code: '42', name: '   ' } });
    expect(emptyName.errors![0].message).toBe('Регион: наименование не указано');
    const noRegion = await hub.gql(CREATE_MUNICIPALITY, { input: { regionCode: '43', code: '4301', name: 'Округ' } });
    expect(noRegion.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(noRegion.errors![0].message).toMatch(/Регион с кодом «43» в хабе не заведён/);
    const sameName = await hub.gql(CREATE_MUNICIPALITY, { input: { regionCode: '66', code: '6699', name: 'каменск-уральский го' } });
    expect(sameName.errors![0].message).toBe('Муниципалитет «каменск-уральский го» в регионе 66 уже заведён под кодом «6608»');
    expect(await hub.sql(`select code from region where code in ('41', '42', '43', '4 2') union all select code from municipality where code in ('4301', '6699')`)).toEqual([]);
  });

  it('the school directory creates a missing region and its municipalities from code and name; type and locality may be unknown; short names are kept', async () => {
    const batch = await hub.importFile('onboarding/directory-new-region.csv');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'schools', counts: { rowsRead: 3, accepted: 3, inserted: 3, errors: 0 } });
    expect(batch.report.ignoredColumns).toEqual([]);
    expect(batch.report.notes).toEqual(
      expect.arrayContaining([
        'Заведены регионы (1): 50 «Новая область».',
        'Заведены муниципалитеты (2): 5001 «Первый округ», 5002 «Второй район».',
        'Тип ОО не указан(а) у ОО: 2 (новых — 2: хаб хранит «не указано»; у известных хабу ОО оставлено прежнее значение).',
        'Местность не указан(а) у ОО: 1 (новых — 1: хаб хранит «не указано»; у известных хабу ОО оставлено прежнее значение).',
      ]),
    );
    const schools = await hub.gql(`{ region(code: "50") { name schools(first: 10) { edges { node { name shortName type urban municipality { code name } } } } } }`);
    expect(schools.data!.region.name).toBe('Новая область');
    const nodes = schools.data!.region.schools.edges.map((e: any) => e.node).sort((a: any, b: any) => a.name.localeCompare(b.name));
    expect(nodes).toEqual([
      { name: 'МБОУ «Основная школа села Лесное»', shortName: 'ООШ Лесное', type: null, urban: null, municipality: { code: '5001', name: 'Первый округ' } },
      { name: 'МБОУ «Средняя школа № 1»', shortName: 'СОШ № 1', type: 'SOSH', urban: true, municipality: { code: '5001', name: 'Первый округ' } },
      { name: 'МКОУ «Школа № 3»', shortName: null, type: null, urban: false, municipality: { code: '5002', name: 'Второй район' } },
    ]);
  });

  it('an existing school keeps its type and locality when the directory leaves them unknown', async () => {
    const batch = await hub.importFile('onboarding/directory-unknown-existing.csv');
    expect(batch).toMatchObject({ status: 'DONE', counts: { accepted: 1, replaced: 1 } });
    expect(await hub.sql(`select type, urban from school where id = ?`, [hub.schools.sch661234.id])).toEqual([{ type: 'SOSH', urban: true }]);
  });

  it('a region the hub lacks and the file does not name is a row error saying what to add; a regional centre cannot create regions', async () => {
    const unnamed = await hub.importFile('onboarding/directory-region-unnamed.csv', { layout: 'schools' });
    expect(unnamed.status).toBe('REJECTED');
    const [error] = await hub.errors(unnamed.id);
    expect(error).toMatchObject({ severity: 'ERROR', row: 2, column: 'Код региона', value: '51', code: 'REGION_NOT_FOUND' });
    expect(error.messageRu).toMatch(/регион «51» в хабе не заведён: добавьте в файл столбец «Регион» с его наименованием .* msoko-hub region create 51/);

    const byImporter = await hub.importFile('onboarding/directory-region-names-differ.csv', {}, 'importer');
    expect(byImporter.status).toBe('REJECTED');
    const errors = await hub.errors(byImporter.id, 'importer');
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'REGION_NOT_FOUND'],
      [3, 'REGION_NOT_FOUND'],
    ]);
    expect(errors[0].messageRu).toMatch(/регион «52» в хабе не заведён; завести регион может администратор хаба/);
    expect(await hub.sql(`select code from region where code in ('51', '52')`)).toEqual([]);
  });

  it('two names for one new region refuse the row and create nothing', async () => {
    const batch = await hub.importFile('onboarding/directory-region-names-differ.csv');
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id);
    expect(errors).toEqual([expect.objectContaining({ row: 3, column: 'Регион', value: 'Область Б', code: 'REGION_NAME_CONFLICT' })]);
    expect(errors[0].messageRu).toMatch(/новый регион «52» в строке 2 назван «Область А», здесь — «Область Б»/);
    expect(await hub.sql(`select code from region where code = '52' union all select code from municipality where code = '5201'`)).toEqual([]);
  });

  it('a new municipality needs its code: a row naming one without it is refused saying what to add', async () => {
    const batch = await hub.importFile('onboarding/directory-municipality-no-code.csv', { layout: 'schools' }, 'importer');
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id, 'importer');
    expect(errors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([[2, 'Муниципалитет', 'Новый округ', 'MUNICIPALITY_NOT_FOUND']]);
    expect(errors[0].messageRu).toMatch(/муниципалитета «Новый округ» в регионе 66 нет\. Новый муниципалитет заводится с его кодом .*добавьте в файл столбец «Код муниципалитета» или заведите его командой msoko-hub municipality create 66 КОД "Новый округ"/);
    expect(await hub.sql(`select code from municipality where name = 'Новый округ'`)).toEqual([]);
  });

  it('one name per municipality code, and none taken from another municipality: refused row by row, nothing renamed', async () => {
    const names = () => hub.sql(`select m.code, m.name from municipality m join region r on r.id = m.region_id where r.code = '66' order by m.code`);
    const before = await names();
    const batch = await hub.importFile('onboarding/directory-municipality-names.csv');
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id);
    expect(errors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([
      [3, 'Муниципалитет', 'Каменский район', 'MUNICIPALITY_NAME_CONFLICT'],
      [4, 'Муниципалитет', 'Каменск-Уральский ГО', 'MUNICIPALITY_NAME_TAKEN'],
    ]);
    expect(errors[0].messageRu).toMatch(/муниципалитет «6620» в строке 2 назван «Каменский городской округ», здесь — «Каменский район»: укажите одно наименование/);
    expect(errors[1].messageRu).toMatch(/муниципалитет «Каменск-Уральский ГО» в регионе уже есть под кодом «6608», а в строке указан код «6609»/);
    expect(await names()).toEqual(before);
  });

  it('a regional centre’s directory renames its municipality; its region’s other name is said in the notes, not applied', async () => {
    const batch = await hub.importFile('onboarding/directory-renames-by-region.csv', {}, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', counts: { accepted: 1, errors: 0 } });
    expect(batch.report.notes).toEqual(
      expect.arrayContaining([
        'Переименованы муниципалитеты (1): 6609 «Синарский округ» → «Синарский район».',
        'Регион 66 в файле назван «Свердловская обл.», в хабе — «Свердловская область»: наименование не изменено — переименовывает регион администратор хаба (msoko-hub region rename 66 "Свердловская обл.").',
      ]),
    );
    expect(await hub.sql(`select r.name as region, m.name as municipality from municipality m join region r on r.id = m.region_id where m.code = '6609'`)).toEqual([
      { region: 'Свердловская область', municipality: 'Синарский район' },
    ]);
    const [audit] = await hub.sql(`select actor, role, target, details from audit_log where action = 'municipality.rename' and target = 'municipality:66/6609'`);
    expect(audit).toEqual({ actor: batch.actor, role: 'REGIONAL_IMPORTER', target: 'municipality:66/6609', details: { from: 'Синарский округ', to: 'Синарский район', importBatchId: Number(batch.id) } });
    expect(await hub.sql(`select count(*)::int as n from audit_log where action = 'region.rename' and target = 'region:66'`)).toEqual([{ n: 0 }]);
  });
});
