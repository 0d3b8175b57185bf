/**
 * A simulated region as the files a regional centre hands over, in the layouts the hub reads
 * (src/imports/parsing/layouts, test/fixtures/imports): the school directory and yearly contexts (templates),
 * the scales (template), Russia's reference values (template), one ФИС ОКО «Индивидуальные результаты» file per
 * ВПР (title line, task-level row, header with task maxima, journal marks) — CSV (UTF-8 with BOM, «;»), the last
 * year's Maths as XLSX — and, with the model's `gia`, one РЦОИ protocol per ОГЭ (layout `gia-protocol`).
 * Beside them, manifest.json: the ground truth of what was planted, and each school's traits and groups.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { participantsBySchoolYear, type SimRegion, type SimSchool } from './model';

export interface RegionFiles {
  dir: string;
  /** In import order: directory, contexts, scales, benchmarks, then the results. */
  files: string[];
  manifestPath: string;
}

export interface Manifest {
  settings: SimRegion['settings'];
  regionCode: string;
  regionName: string;
  years: number[];
  schools: {
    login: string;
    type: string;
    tiny: boolean;
    selective: boolean;
    group: string;
    level: number;
    trend: number;
    leniency: number;
    missingYears: number[];
  }[];
  /** Ground truth: planted manipulations by school login. */
  planted: { login: string; kind: string; strength: string; years: number[] }[];
  /** Participants per ВПР of each school-year, `${login}|${year}` → counts (missing key: no results that year). */
  participants: Record<string, number[]>;
  calibration: SimRegion['calibration'];
  doses: { login: string; assessment: string; kind: string; strength: string; p: number; capped: boolean }[];
}

const BOM = '\ufeff';
const csvCell = (value: string | number | null) => {
  if (value === null) return '';
  const text = String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const line = (cells: (string | number | null)[]) => cells.map(csvCell).join(';');
const decimal = (value: number, digits = 1) => value.toFixed(digits).replace('.', ',');

export async function writeRegionFiles(region: SimRegion, dir: string): Promise<RegionFiles> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const put = async (name: string, lines: string[]) => {
    const path = join(dir, name);
    await writeFile(path, BOM + lines.join('\r\n') + '\r\n');
    files.push(path);
  };

  await put('schools.csv', [
    line(['Код региона', 'Код муниципалитета', 'Муниципалитет', 'Наименование ОО', 'Логин ФИС ОКО', 'Код ОО (РЦОИ)', 'Тип ОО', 'Местность']),
    ...region.schools.map((s) => line([region.regionCode, s.municipalityCode, s.municipalityName, s.name, s.login, rcoiCode(s), s.type, s.urban ? 'городская' : 'сельская'])),
  ]);

  const years = region.settings.years;
  await put('school-context.csv', [
    line(['Код ОО', 'Год', 'Численность обучающихся', 'Количество классов', 'Малокомплектная', 'Углублённое изучение']),
    ...years.flatMap((year) =>
      region.schools.map((s) => {
        const classesPerGrade = Math.max(1, Math.ceil(s.baseSize / 28));
        const grades = s.type === 'ООШ' ? 9 : 11;
        return line([s.login, year, s.baseSize * grades, classesPerGrade * grades, s.tiny ? 'да' : 'нет', s.selective ? 'да' : 'нет']);
      }),
    ),
  ]);

  const scales = new Map<string, SimRegion['assessments'][number]>();
  for (const a of region.assessments) scales.set(`${a.year}|${a.subject}|${a.grade}`, a);
  await put('assessment-scales.csv', [
    line(['Процедура', 'Год', 'Предмет', 'Класс', 'Максимальный первичный балл', 'Граница «3»', 'Граница «4»', 'Граница «5»', 'Задания']),
    ...[...scales.values()].map((a) =>
      line([a.procedure, a.year, a.subjectName, a.grade, a.scale.maxPrimary, ...a.scale.boundaries, a.scale.tasks.map((t) => `${t.number}:${t.level}:${t.maxPoints}`).join(';')]),
    ),
  ]);

  // Russia's published shares: this model's honest pupils are taken to be Russia's on average (the region's own
  // values the hub computes itself).
  await put('benchmarks.csv', [
    line(['Уровень', 'Код территории', 'Территория', 'Процедура', 'Год', 'Предмет', 'Класс', 'Количество участников', 'Доля «2», %', 'Доля «3», %', 'Доля «4», %', 'Доля «5», %', 'Средний % выполнения']),
    ...region.assessments.map((a) => {
      const planted = new Set(region.plants.filter((p) => p.years.includes(a.year)).map((p) => p.schoolIndex));
      const honest = a.works.filter((w) => !planted.has(w.schoolIndex));
      const shares = [2, 3, 4, 5].map((m) => (100 * honest.filter((w) => w.mark === m).length) / honest.length);
      const rounded = shares.map((x) => Math.round(x * 10) / 10);
      rounded[1] = Math.round((100 - rounded[0] - rounded[2] - rounded[3]) * 10) / 10;
      const mean = (100 * honest.reduce((s, w) => s + w.primary, 0)) / (honest.length * a.scale.maxPrimary);
      return line(['Россия', '', 'Российская Федерация', a.procedure, a.year, a.subjectName, a.grade, 1_400_000, ...rounded.map((x) => decimal(x)), decimal(mean)]);
    }),
  ]);

  const byIndex = new Map(region.schools.map((s) => [s.index, s]));
  const lastYear = years[years.length - 1];
  for (const a of region.assessments) {
    // ФИС ОКО hands these files out as XLSX; regional centres often pass them on as CSV. The last year's Maths
    // results go as XLSX (as downloaded), the rest as CSV, so both paths of the importer are exercised.
    if (a.procedure === 'ОГЭ') {
      await put(`oge-${a.year}-${a.subject.toLowerCase()}.csv`, giaProtocolLines(a, byIndex));
      continue;
    }
    if (a.year === lastYear && a.subject === 'MATH') {
      files.push(await writeVprXlsx(a, byIndex, join(dir, `vpr-${a.year}-${a.subject.toLowerCase()}-${a.grade}.xlsx`)));
      continue;
    }
    const path = join(dir, `vpr-${a.year}-${a.subject.toLowerCase()}-${a.grade}.csv`);
    const out = createWriteStream(path);
    const taskHeaders = a.scale.tasks.map((t) => `${t.number} (${t.maxPoints}б)`);
    const head = [
      `ВПР ${a.year} ${a.subjectName} ${a.grade} класс`,
      line(['Выгрузка: индивидуальные результаты участников']),
      line(['', '', '', '', '', 'Уровень', ...a.scale.tasks.map((t) => t.level), '', '', '']),
      line(['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', ...taskHeaders, 'Первичный балл', 'Отметка', 'Отметка по журналу']),
    ];
    let chunk = BOM + head.join('\r\n') + '\r\n';
    for (const w of a.works) {
      const s = byIndex.get(w.schoolIndex)!;
      chunk += line([s.login, s.municipalityName, s.name, w.participantCode, w.classLabel, w.variant, ...w.tasks, w.primary, w.mark, w.journal ?? 'нет отметки']) + '\r\n';
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    files.push(path);
  }

  const counts = participantsBySchoolYear(region);
  const login = (index: number) => byIndex.get(index)!.login;
  const manifest: Manifest = {
    settings: region.settings,
    regionCode: region.regionCode,
    regionName: region.regionName,
    years,
    schools: region.schools.map((s) => ({ login: s.login, type: s.type, tiny: s.tiny, selective: s.selective, group: s.group, level: round(s.level), trend: s.trend, leniency: round(s.leniency), missingYears: s.missingYears })),
    planted: region.plants.map((p) => ({ login: login(p.schoolIndex), kind: p.kind, strength: p.strength, years: p.years })),
    participants: Object.fromEntries([...counts].map(([key, n]) => [`${login(Number(key.split('|')[0]))}|${key.split('|')[1]}`, n])),
    calibration: region.calibration,
    doses: region.doses.map((d) => ({ login: login(d.schoolIndex), assessment: d.assessmentKey, kind: d.kind, strength: d.strength, p: d.p, capped: d.capped })),
  };
  const manifestPath = join(dir, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify(manifest));
  return { dir, files, manifestPath };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The school's code at the РЦОИ (ГИА protocols name schools by it): the login's digits. */
const rcoiCode = (s: SimSchool) => s.login.replace(/^sch/, '');

const SURNAMES = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров'];
const FIRST_NAMES = ['Александр', 'Дмитрий', 'Максим', 'Сергей', 'Андрей', 'Алексей', 'Артём', 'Илья', 'Кирилл', 'Михаил'];

/**
 * The lines of an ОГЭ protocol of the РЦОИ (layout `gia-protocol`): title «ОГЭ 2024 Математика», one row per participant with a
 * made-up name and document (the hub keeps neither: they become the anonymous code), the short answers as «+»/«-»
 * and the extended ones as «points(max)», in the scale's task order.
 */
function giaProtocolLines(a: SimRegion['assessments'][number], byIndex: Map<number, SimSchool>): string[] {
  const short = a.scale.tasks.map((t, i) => (t.maxPoints === 1 ? i : -1)).filter((i) => i >= 0);
  const extended = a.scale.tasks.map((t, i) => (t.maxPoints > 1 ? i : -1)).filter((i) => i >= 0);
  if (short.some((i, k) => i !== k)) throw new Error(`scale ${a.scale.id}: short-answer tasks must come first`);
  const lines = [
    `ОГЭ ${a.year} ${a.subjectName}`,
    line(['Код МСУ', 'Код ОО', 'Класс', 'Код ППЭ', 'Аудитория', 'Фамилия', 'Имя', 'Отчество', 'Документ', 'Задания с кратким ответом', 'Задания с развёрнутым ответом', 'Первичный балл', 'Отметка']),
  ];
  a.works.forEach((w, i) => {
    const s = byIndex.get(w.schoolIndex)!;
    lines.push(
      line([
        s.municipalityCode, rcoiCode(s), w.classLabel, `${s.municipalityCode}01`, String(1 + (i % 20)),
        SURNAMES[i % SURNAMES.length], FIRST_NAMES[Math.floor(i / SURNAMES.length) % FIRST_NAMES.length], 'Иванович', `4500${w.participantCode}`,
        short.map((t) => (w.tasks[t] > 0 ? '+' : '-')).join(''),
        extended.map((t) => `${w.tasks[t]}(${a.scale.tasks[t].maxPoints})`).join(''),
        w.primary, w.mark,
      ]),
    );
  });
  return lines;
}

/** A ФИС ОКО «Индивидуальные результаты» workbook: title, metadata, task levels, header, one row per work. */
async function writeVprXlsx(a: SimRegion['assessments'][number], byIndex: Map<number, SimSchool>, path: string): Promise<string> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Результаты');
  sheet.addRow([`ВПР ${a.year} ${a.subjectName} ${a.grade} класс`]).commit();
  sheet.addRow(['Выгрузка: индивидуальные результаты участников']).commit();
  sheet.addRow(['', '', '', '', '', 'Уровень', ...a.scale.tasks.map((t) => t.level)]).commit();
  sheet.addRow(['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', ...a.scale.tasks.map((t) => `${t.number} (${t.maxPoints}б)`), 'Первичный балл', 'Отметка', 'Отметка по журналу']).commit();
  for (const w of a.works) {
    const s = byIndex.get(w.schoolIndex)!;
    sheet.addRow([s.login, s.municipalityName, s.name, w.participantCode, w.classLabel, w.variant, ...w.tasks, w.primary, w.mark, w.journal ?? 'нет отметки']).commit();
  }
  await workbook.commit();
  return path;
}

/** Kinds and size bands as the scoring lists them (re-exported for the report). */
