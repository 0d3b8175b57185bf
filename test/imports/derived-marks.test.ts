/**
 * Marks from primary scores (issue 22): a file with task and primary scores but no marks gives a school no shares of
 * marks while the scale has no boundaries; once a scale with boundaries arrives, the recompute it asks for gives the
 * shares and the journal agreement, and a changed scale gives them again. Each participant's row reads with the mark the
 * applicable scale gives (markFor), said to be derived (markSource SCALE), and follows the scale when it changes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { markFor } from '../../src/assessments/marks';
import { FIXTURES, ImportHarness } from './support/import-harness';

function written(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-derived-marks-')), name);
  writeFileSync(path, '\ufeff' + content);
  return relative(FIXTURES, path);
}

// A regional monitoring export: scores and the journal mark, no ВПР mark.
const SCORES = [
  'Школа;Код участника;Зад. 1 (1б);Зад. 2 (2б);Зад. 3 (2б);Сумма;Оценка в журнале',
  'sch661301;M-01;1;2;1;4;4',
  'sch661301;M-02;0;1;X;1;3',
  'sch661301;M-03;1;2;2;5;4',
  'sch661301;M-04;1;1;0;2;3',
].join('\r\n');
const MAPPING = {
  target: 'participant-result',
  columns: { schoolCode: 'Школа', participantCode: 'Код участника', primaryScore: 'Сумма', journalMark: 'Оценка в журнале' },
  taskColumns: ['Зад. 1 (1б)', 'Зад. 2 (2б)', 'Зад. 3 (2б)'],
};
const CONSTANTS = { procedure: 'НИКО', year: 2024, subjectName: 'Окружающий мир', grade: 4 };
const scale = (b3: number, b4: number, b5: number) =>
  ['Процедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Минимальный балл ЕГЭ;Задания', `НИКО;2024;Окружающий мир;4;5;${b3};${b4};${b5};;"1:Б:1;2:Б:2;3:П:2"`].join('\r\n');

describe('marks from primary scores', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  const result = () =>
    hub.sql(
      `select participants, count2, count3, count4, count5, journal_lowered, journal_confirmed, journal_raised from school_result where school_id = ?`,
      [hub.schools.sch661301.id],
    );

  /** Waits for the recompute jobs a batch asked for (and the ones they chain) to have written the school's result. */
  async function settled(expected: (rows: any[]) => boolean): Promise<any[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await result();
      if (expected(rows)) return rows;
      if (Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The school's participant rows as GraphQL gives them: code, primary score, mark and its source. */
  async function participantMarks(): Promise<{ participantCode: string; primaryScore: number; mark: number | null; markSource: string | null }[]> {
    const answer = await hub.gql(
      `query($code: String!) { school(code: $code) { results { participantResults(first: 10) { edges { node { participantCode primaryScore mark markSource } } } } } }`,
      { code: 'sch661301' },
      'importer',
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.school.results.flatMap((r: any) => r.participantResults.edges.map((e: any) => e.node));
  }

  it('no marks while the scale has no boundaries; the scale that arrives later gives them, and a changed scale again', async () => {
    const scores = await hub.importFile(written('monitoring.csv', SCORES), { layout: 'mapped', mapping: MAPPING, constants: CONSTANTS }, 'importer');
    expect(scores).toMatchObject({ status: 'DONE', counts: { inserted: 4 } });
    // The stored rows keep what the file said: no mark.
    expect(await hub.sql(`select count(*)::int as n from participant_result where school_id = ? and mark is null`, [hub.schools.sch661301.id])).toEqual([{ n: 4 }]);
    expect(await settled((rows) => rows.length === 1)).toEqual([
      { participants: 4, count2: null, count3: null, count4: null, count5: null, journal_lowered: null, journal_confirmed: null, journal_raised: null },
    ]);

    // Participant rows: no mark either, and nothing said to be derived.
    expect((await participantMarks()).map((p) => [p.participantCode, p.mark, p.markSource])).toEqual([
      ['M-01', null, null],
      ['M-02', null, null],
      ['M-03', null, null],
      ['M-04', null, null],
    ]);

    // Scores 4, 1, 5, 2 with «3» from 2, «4» from 4, «5» from 5: marks 4, 2, 5, 3 against journal 4, 3, 4, 3.
    const first = await hub.importFile(written('scale.csv', scale(2, 4, 5)));
    expect(first).toMatchObject({ status: 'DONE', counts: { errors: 0 } });
    expect(first.recomputeJobs.length).toBeGreaterThan(0);
    expect(await settled((rows) => rows[0]?.count2 !== null)).toEqual([
      { participants: 4, count2: 1, count3: 1, count4: 1, count5: 1, journal_lowered: 1, journal_confirmed: 2, journal_raised: 1 },
    ]);

    // Each row now reads with the mark its score gets on the scale, said to come from the scale; the stored row keeps null.
    const derived = await participantMarks();
    expect(derived.map((p) => [p.participantCode, p.mark, p.markSource])).toEqual([
      ['M-01', 4, 'SCALE'],
      ['M-02', 2, 'SCALE'],
      ['M-03', 5, 'SCALE'],
      ['M-04', 3, 'SCALE'],
    ]);
    for (const p of derived) expect(p.mark).toBe(markFor(p.primaryScore, [2, 4, 5]));
    expect(await hub.sql(`select count(*)::int as n from participant_result where school_id = ? and mark is null`, [hub.schools.sch661301.id])).toEqual([{ n: 4 }]);

    // A corrected scale («3» from 1): score 1 is now «3», so nobody has «2».
    const corrected = await hub.importFile(written('scale-corrected.csv', scale(1, 4, 5)));
    expect(corrected).toMatchObject({ status: 'DONE', counts: { errors: 0 } });
    expect(await settled((rows) => rows[0]?.count2 === 0)).toEqual([
      { participants: 4, count2: 0, count3: 2, count4: 1, count5: 1, journal_lowered: 0, journal_confirmed: 3, journal_raised: 1 },
    ]);
    // The participant rows follow the corrected scale: score 1 is «3» now.
    const afterCorrection = await participantMarks();
    expect(afterCorrection.map((p) => p.mark)).toEqual([4, 3, 5, 3]);
    for (const p of afterCorrection) expect(p.mark).toBe(markFor(p.primaryScore, [1, 4, 5]));
  });
});
