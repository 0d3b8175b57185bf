import type { ParticipantResultRecord } from '../../../src/imports/parsing';
import { parseTaskList } from '../../../src/imports/parsing/layouts/assessment-scales';
import { parseTaskLabelHeader } from '../../../src/imports/parsing/task-labels';
import { fileError, parseContent } from './helpers';

/** ФИС ОКО task labels in all their forms, in results headers and in scale templates. */
describe('task labels', () => {
  it('reads every form of a header: label kept as numbered, maximum when given', () => {
    const read = (header: string) => parseTaskLabelHeader(header);
    expect(read('1 (1б)')).toEqual({ number: '1', maxPoints: 1 });
    expect(read('1К1 (1б)')).toEqual({ number: '1К1', maxPoints: 1 });
    expect(read('1k2(2 балла)')).toEqual({ number: '1К2', maxPoints: 2 });
    expect(read('5(1) (1б)')).toEqual({ number: '5(1)', maxPoints: 1 });
    expect(read('3(1)')).toEqual({ number: '3(1)', maxPoints: null });
    expect(read('1.1')).toEqual({ number: '1.1', maxPoints: null });
    expect(read('2а (2б)')).toEqual({ number: '2а', maxPoints: 2 });
    expect(read('4,2 (1б)')).toEqual({ number: '4.2', maxPoints: 1 });
    expect(read('Первичный балл')).toBeNull();
  });

  it('a ФИС ОКО file with criteria, sub-tasks and lettered tasks keeps every column and sums the maximum right', async () => {
    const csv = [
      'ВПР 2025 Русский язык 4 класс',
      'ОО;Код участника;1К1 (4б);1К2 (3б);2 (3б);3(1) (1б);3(2) (2б);5(1) (1б);5(2) (2б);6а (2б);7.1 (2б);Первичный балл;Отметка',
      'sch661234;10001;4;3;3;1;2;1;2;2;2;20;5',
      'sch661234;10002;2;1;X;0;1;1;0;1;0;6;3',
    ].join('\n');
    const { parsed, records } = await parseContent('vpr.csv', csv);
    expect(parsed.errors).toEqual([]);
    expect(parsed.metadata.tasks!.map((task) => `${task.number}:${task.maxPoints}`)).toEqual(['1К1:4', '1К2:3', '2:3', '3(1):1', '3(2):2', '5(1):1', '5(2):2', '6а:2', '7.1:2']);
    expect(parsed.metadata.ignoredColumns).toEqual([]);
    expect((records as ParticipantResultRecord[]).map((record) => [record.primaryScore, record.taskScores])).toEqual([
      [20, [4, 3, 3, 1, 2, 1, 2, 2, 2]],
      [6, [2, 1, null, 0, 1, 1, 0, 1, 0]],
    ]);
  });

  it('labels without a maximum take it from the hub’s scale (by label), and are a file error naming the columns without one', async () => {
    const csv = ['ВПР 2025 Математика 5 класс', 'ОО;Код участника;1;3(1);3(2);Первичный балл;Отметка', 'sch661234;10001;1;2;1;4;4'].join('\n');
    const scale = { maxPrimary: 5, tasks: [{ number: '1', maxPoints: 1 }, { number: '3(1)', maxPoints: 2 }, { number: '3(2)', maxPoints: 2 }] };
    const withScale = await parseContent('vpr.csv', csv, { scale });
    expect(withScale.parsed.errors).toEqual([]);
    expect(withScale.parsed.metadata.tasks!.map((task) => task.maxPoints)).toEqual([1, 2, 2]);
    expect(withScale.records).toHaveLength(1);

    const issue = await fileError(parseContent('vpr.csv', csv));
    expect(issue.code).toBe('UNREADABLE_HEADER');
    expect(issue.messageRu).toMatch(/^У заданий «1» \(C2\), «3\(1\)» \(D2\), «3\(2\)» \(E2\) в заголовке нет максимального балла, а шкалы этой процедуры в хабе нет/);
  });

  it('a column whose header starts like a task but does not read is a file error that names it, never dropped', async () => {
    const csv = ['ВПР 2025 Математика 5 класс', 'ОО;Код участника;1 (1б);2-3 (2б);Первичный балл;Отметка', 'sch661234;10001;1;2;3;4'].join('\n');
    const issue = await fileError(parseContent('vpr.csv', csv));
    expect(issue).toMatchObject({ code: 'UNREADABLE_HEADER', row: 2, column: '«2-3 (2б)» (D2)' });
    expect(issue.messageRu).toContain('Заголовки столбцов не читаются как задания: «2-3 (2б)» (D2).');
  });

  it('other unused columns are named in the report notes', async () => {
    const csv = ['ВПР 2025 Математика 5 класс', 'ОО;Код участника;Примечание;1 (1б);Первичный балл;Отметка', 'sch661234;10001;перевёлся;1;1;3'].join('\n');
    const { parsed } = await parseContent('vpr.csv', csv);
    expect(parsed.metadata.ignoredColumns).toEqual(['Примечание']);
    expect(parsed.summary.notesRu).toContain('Столбцы файла не использованы (1): «Примечание».');
  });

  it('the scales template reads the same labels', () => {
    expect(parseTaskList('1К1:Б:4; 1К2:Б:3; 3(1):П:1; 5(1):Б:1; 1.1:Б:2; 2а:В:2')).toEqual({
      numbers: ['1К1', '1К2', '3(1)', '5(1)', '1.1', '2а'],
      levels: ['BASIC', 'BASIC', 'ADVANCED', 'BASIC', 'BASIC', 'HIGH'],
      maxPoints: [4, 3, 1, 1, 2, 2],
    });
  });
});
