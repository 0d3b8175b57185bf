/**
 * Participant results (ФИС ОКО individual results, ГИА protocols, mapped regional files) → participant_result.
 *
 * Scope: school × assessment. Every (school, assessment) the file has valid rows for is replaced as a whole by
 * the file's rows; nothing else is touched. School codes and assessment keys are resolved while the rows stream
 * (a few distinct values per file), so the staging table already has the final shape and, for large imports,
 * becomes the year's partition itself (participant-partition.ts).
 */
import { participantKeysText, participantValuesText } from '../../../assessments/participant-copy';
import { hasConfirmedScaleSql, provisionalRegionOf } from '../../../assessments/scale';
import type { ImportRecord, ParticipantResultRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { arrayLiteral } from '../../../shared/sql';
import { CopyWriter } from '../copy-writer';
import { aggregatesThenRisk } from '../../../jobs/recompute-chain';
import { AssessmentResolver, defaultSession, type ResolvedAssessment } from '../resolve/assessments';
import { keepUnknownCodes, type UnknownCode } from '../../matching/school-candidates';
import { SchoolCodeResolver, schoolProblem, type SchoolMatch } from '../resolve/school-codes';
import { SubjectResolver, unknownSubjectReason } from '../resolve/subjects';
import { movedTableName, UNDO_TARGETS } from '../../undo/undo-log';
import {
  createMovedTable,
  createParticipantStage,
  ensureYearPartition,
  IMPORT_YEAR_LOCK,
  keptRowCount,
  mergeInPlace,
  partitionExists,
  partitionName,
  stageColumns,
  swapInRebuiltPartition,
} from './participant-partition';
import { hasScaleRules, scaleFromFile, scaleProblems } from './participant-scale';
import { ScopeRows, type ScopeCounter, type ScopePair } from './scope-rows';
import type { LoadContext, MergeOutcome, TargetLoader } from './target';

export class ParticipantResultsLoader implements TargetLoader {
  private readonly table: string;
  private readonly scopeTable: string;
  private readonly schools: SchoolCodeResolver;
  private readonly unknownSchools = new Map<string, UnknownCode>();
  private readonly subjects: SubjectResolver;
  private readonly assessments: AssessmentResolver;
  /** Assessment per "procedure|year|subject|grade" of the file; null when the subject is unknown or the key is held. */
  private readonly byKey = new Map<string, ResolvedAssessment | null>();
  /** Keys held for want of a scale, with why (a file without task maxima for an assessment no scale applies to). */
  private readonly heldKeys = new Map<string, string>();
  private readonly yearsSeen = new Set<number>();
  /** Once the transaction has written an assessment, a new partition can no longer be created beside it. */
  private createdAssessment = false;
  private readonly scope = new ScopeRows();
  /** Per school: the first code its rows were staged under, and whether a second code reached it too. */
  private readonly schoolStates = new Map<number, SchoolState>();
  /** The pair of each staged row of a multi-code school, to take it out of the scope count if it is rejected later. */
  private readonly rowPair = new Map<number, ScopePair>();
  /** The keys of the last record looked up, and their assessment: consecutive rows almost always share them. */
  private lastKeys: ParticipantResultRecord | null = null;
  private lastAssessment: ResolvedAssessment | null = null;
  /** Per school code of the file: everything a row needs, behind one lookup. */
  private readonly schoolOfCode = new Map<string, CodeEntry>();
  private staged = 0;
  private readonly rebuiltYears: number[] = [];

  /**
   * `parserScaleAssessmentId`: the assessment whose stored scale the parser already checked rows against (a file
   * naming its assessment in the title); rows of other assessments are checked against their scale here.
   */
  constructor(
    private readonly ctx: LoadContext,
    private readonly parserScaleAssessmentId: number | null,
  ) {
    this.table = `import_stage_${ctx.batchId}`;
    this.scopeTable = `import_scope_${ctx.batchId}`;
    this.schools = new SchoolCodeResolver(ctx.knex, ctx.principal);
    this.subjects = new SubjectResolver(ctx.trx);
    this.assessments = new AssessmentResolver(ctx.trx, provisionalRegionOf(ctx.principal), ctx.undo);
  }

  async prepare(): Promise<void> {
    await createParticipantStage(this.ctx.trx, this.table);
  }

  async stage(batches: AsyncIterable<ImportRecord[]>, onRows: (rows: number) => void): Promise<void> {
    const writer = new CopyWriter(this.ctx.client, this.table, stageColumns);
    for await (const batch of batches) {
      const records = batch as ParticipantResultRecord[];
      // Per batch, only codes and keys not seen before cost anything (a file has a few hundred of them).
      const newCodes = new Set<string>();
      const newKeys = new Map<string, ParticipantResultRecord>();
      let previous: ParticipantResultRecord | null = null;
      for (const record of records) {
        if (!this.schoolOfCode.has(record.schoolCode)) newCodes.add(record.schoolCode);
        if (previous !== null && sameAssessmentKeys(previous, record)) continue;
        previous = record;
        const key = this.keyOf(record);
        if (!this.byKey.has(key) && !newKeys.has(key)) newKeys.set(key, record);
      }
      if (newCodes.size > 0) {
        // Alias lookups go through the pool while the COPY holds the transaction's connection.
        await this.schools.resolve(newCodes);
        for (const code of newCodes) this.schoolOfCode.set(code, this.codeEntry(this.schools.match(code)));
      }
      if (newKeys.size > 0) {
        await writer.pause();
        for (const [key, sample] of newKeys) await this.resolveKey(key, sample);
      }
      let lines = '';
      let count = 0;
      for (const record of records) {
        const line = this.lineFor(record);
        if (line === null) continue;
        lines += line;
        count++;
      }
      await writer.write(lines, count);
      this.staged += count;
      onRows(this.staged);
    }
    await writer.pause();
  }

  /** A code not found, with the school name the file gives (rows kept up to a thousand): the report offers candidates. */
  private noteUnknownSchool(record: ParticipantResultRecord): void {
    let entry = this.unknownSchools.get(record.schoolCode);
    if (entry === undefined) {
      entry = { code: record.schoolCode, schoolName: record.schoolName, rows: [] };
      this.unknownSchools.set(record.schoolCode, entry);
    }
    if (entry.rows.length < 1000) entry.rows.push(record.sourceRow);
  }

  async validate(): Promise<void> {
    if (this.unknownSchools.size > 0) await keepUnknownCodes(this.ctx.knex, this.ctx.principal, this.ctx.batchId, [...this.unknownSchools.values()]);
    const multiCodeSchools = [...this.schoolStates.values()].filter((school) => school.multiCode).map((school) => school.id);
    if (multiCodeSchools.length === 0) return;
    // Two codes of one school in the file: the same participant under both is a duplicate the parser could not see.
    const { rows } = await this.ctx.trx.raw(
      `select source_row, participant_code, first_row from (
         select source_row, participant_code, min(source_row) over (partition by year, assessment_id, school_id, participant_code) as first_row
         from ${this.table} where school_id = any(?::int[])) t
       where source_row <> first_row order by source_row`,
      [arrayLiteral(multiCodeSchools)],
    );
    const column = columnHeader(this.ctx.layout, this.ctx.mapping, 'participantCode');
    for (const row of rows as { source_row: number; participant_code: string; first_row: number }[]) {
      this.ctx.issues.error({
        row: row.source_row,
        column,
        value: row.participant_code,
        code: 'DUPLICATE_PARTICIPANT',
        reasonRu: `участник «${row.participant_code}» этой ОО уже есть в строке ${row.first_row} (ОО указана другим кодом) — один участник должен встречаться в файле один раз`,
      });
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx, settings } = this.ctx;
    const excluded = this.ctx.issues.excludedRows();
    if (excluded.length > 0) {
      await trx.raw(`delete from ${this.table} where source_row = any(?::int[])`, [arrayLiteral(excluded)]);
      for (const row of excluded) {
        const pair = this.rowPair.get(row);
        if (pair !== undefined) this.scope.remove(...pair);
      }
    }
    const pairs = this.scope.pairs();
    await trx.raw(
      `create temp table ${this.scopeTable} (year smallint not null, school_id integer not null, assessment_id integer not null, primary key (year, school_id, assessment_id)) on commit drop`,
    );
    await trx.raw(`insert into ${this.scopeTable} select * from unnest(?::smallint[], ?::int[], ?::int[])`, [
      arrayLiteral(pairs.map((p) => p[0])),
      arrayLiteral(pairs.map((p) => p[1])),
      arrayLiteral(pairs.map((p) => p[2])),
    ]);
    // Without statistics the planner takes the scope for a big table and joins a million rows to it by nested loop.
    await trx.raw(`analyze ${this.scopeTable}`);
    await this.ctx.undo.keysOnly(UNDO_TARGETS.participantResult, `select year, school_id, assessment_id from ${this.scopeTable}`);
    const years = [...new Set(pairs.map((p) => p[0]))].sort((a, b) => a - b);
    let inserted = 0;
    let replaced = 0;
    let stageBecamePartition = false;
    for (const year of years) {
      await trx.raw('select pg_advisory_xact_lock(?, ?)', [IMPORT_YEAR_LOCK, year]);
      const scope = `(select school_id, assessment_id from ${this.scopeTable} where year = ${Number(year)})`;
      const incoming = pairs.filter((p) => p[0] === year).reduce((sum, p) => sum + this.scope.rows(...p), 0);
      if (years.length === 1 && incoming >= settings.rebuildMinRows && (await keptRowCount(trx, year, scope)) <= 2 * incoming) {
        const { rows } = await trx.raw(
          `select count(*)::int as n from ${partitionName(year)} p join ${scope} sc on sc.school_id = p.school_id and sc.assessment_id = p.assessment_id`,
        );
        if (await swapInRebuiltPartition(trx, this.table, year, scope, movedTableName(this.ctx.batchId, year))) {
          // The replaced partition is kept whole as the undo table: the replaced rows are moved aside, not copied.
          await this.ctx.undo.movedAside(movedTableName(this.ctx.batchId, year));
          stageBecamePartition = true;
          this.rebuiltYears.push(year);
          inserted += incoming;
          replaced += rows[0].n;
          continue;
        }
        this.ctx.log.warn({ batchId: this.ctx.batchId, year }, 'participant_result busy: merging in place instead of rebuilding the partition');
      }
      const moved = movedTableName(this.ctx.batchId, year);
      await createMovedTable(trx, moved);
      await this.ctx.undo.movedAside(moved);
      const merged = await mergeInPlace(trx, this.table, year, scope, moved);
      inserted += merged.inserted;
      replaced += merged.replaced;
    }
    if (!stageBecamePartition) await trx.raw(`drop table ${this.table}`);

    const notesRu = await this.takeScaleFromFile(pairs.map((p) => p[2]));
    const schoolIds = [...new Set(pairs.map((p) => p[1]))];
    const assessmentIds = [...new Set(pairs.map((p) => p[2]))];
    return {
      inserted,
      replaced,
      affected: { schoolIds, assessmentIds, years },
      recompute: aggregatesThenRisk(schoolIds, years, `import ${this.ctx.batchId}`),
      notesRu: this.rebuiltYears.length > 0 ? [...notesRu, `Раздел ${this.rebuiltYears.join(', ')} года пересобран целиком (быстрая загрузка).`] : notesRu,
    };
  }

  async afterCommit(): Promise<void> {
    // A rebuilt partition has no planner statistics yet.
    for (const year of this.rebuiltYears) await this.ctx.knex.raw(`analyze ${partitionName(year)}`);
  }

  /** The record's assessment (resolved per batch); null when its subject is unknown. */
  private assessmentOf(record: ParticipantResultRecord): ResolvedAssessment | null {
    if (this.lastKeys !== null && sameAssessmentKeys(this.lastKeys, record)) return this.lastAssessment;
    this.lastKeys = record;
    this.lastAssessment = this.byKey.get(this.keyOf(record)) ?? null;
    return this.lastAssessment;
  }

  /** The file's own spelling of the keys: normalising per row would cost more than the rest of the row. */
  private keyOf(record: ParticipantResultRecord): string {
    return `${record.procedure}|${record.year}|${record.subjectName}|${record.grade}`;
  }

  private async resolveKey(key: string, sample: ParticipantResultRecord): Promise<void> {
    const subjectId = await this.subjects.idFor(sample.subjectName);
    if (subjectId === null) {
      this.byKey.set(key, null);
      return;
    }
    const session = this.ctx.session ?? defaultSession(sample.procedure);
    const assessmentKey = { procedure: sample.procedure, year: sample.year, session, subjectId, grade: sample.grade };
    if (scaleFromFile(this.ctx.metadata) === null) {
      // The file brings no scale (a ГИА protocol, a mapped file without task maxima): its rows wait for one.
      const scaled = await this.assessments.scaled(assessmentKey, sample.subjectName);
      if ('reasonRu' in scaled) {
        this.byKey.set(key, null);
        this.heldKeys.set(key, scaled.reasonRu);
        return;
      }
    }
    if (!this.yearsSeen.has(sample.year)) {
      await this.ensurePartition(sample.year);
      this.yearsSeen.add(sample.year);
    }
    const existing = await this.assessments.find(assessmentKey);
    if (!existing) this.createdAssessment = true;
    this.byKey.set(key, existing ?? (await this.assessments.ensure(assessmentKey)));
  }

  /**
   * A year without a partition yet gets one from a pool connection — unless this transaction already created an
   * assessment (a multi-year file whose later year is new): creating the partition from the pool would then wait
   * for this very transaction, so it is created inside it, holding participant_result until the import commits.
   */
  private async ensurePartition(year: number): Promise<void> {
    if (await partitionExists(this.ctx.trx, year)) return;
    // Created for this import whether or not its transaction commits it: its revert drops it again when empty.
    await this.ctx.undo.createdPartition(year);
    if (!this.createdAssessment) {
      await ensureYearPartition(this.ctx.knex, year);
      this.ctx.createdOutside.push(year);
      return;
    }
    this.ctx.log.warn({ batchId: this.ctx.batchId, year }, 'creating a year partition inside the import transaction');
    await this.ctx.trx.raw('select ensure_participant_partition(?)', [year]);
  }

  /** The COPY line of a valid record; null after reporting why the record cannot be staged. */
  private lineFor(record: ParticipantResultRecord): string | null {
    const { issues, layout, mapping } = this.ctx;
    let ok = true;
    const entry = this.schoolOfCode.get(record.schoolCode)!;
    const match = entry.match;
    if (match.kind !== 'found') {
      issues.error(schoolProblem(match, record.sourceRow, columnHeader(layout, mapping, 'schoolCode'), record.schoolCode));
      if (match.kind === 'unknown') this.noteUnknownSchool(record);
      ok = false;
    }
    const assessment = this.assessmentOf(record);
    if (assessment === null) {
      const held = this.heldKeys.get(this.keyOf(record));
      const column = columnHeader(layout, mapping, 'subjectName');
      if (held === undefined) {
        issues.error({ row: record.sourceRow, column, value: record.subjectName, code: 'SUBJECT_UNKNOWN', reasonRu: unknownSubjectReason(record.subjectName) });
      } else {
        // The message names the assessment; as a value, the subject of a file with personal columns would be hidden
        // together with its echo in the message, leaving «ОГЭ 2024, значение скрыто…».
        issues.error({ row: record.sourceRow, column, value: null, code: 'SCALE_MISSING', reasonRu: held });
      }
      ok = false;
    } else if (assessment.id !== this.parserScaleAssessmentId && hasScaleRules(assessment.scale)) {
      // Per-row keys: the parser could not know the row's scale, so the row is checked against it here.
      const problems = scaleProblems(record, assessment.scale, (field) => columnHeader(layout, mapping, field));
      for (const problem of problems) issues.error(problem);
      if (problems.length > 0) ok = false;
    }
    if (!ok || match.kind !== 'found' || assessment === null) return null;

    const school = entry.school!;
    if (!entry.staged) {
      entry.staged = true;
      if (school.firstCode === null) school.firstCode = record.schoolCode;
      else if (school.firstCode !== record.schoolCode) school.multiCode = true;
    }
    if (entry.assessmentId !== assessment.id) {
      entry.assessmentId = assessment.id;
      entry.keysText = participantKeysText(record.year, assessment.id, school.id);
      entry.counter = this.scope.counter(record.year, school.id, assessment.id);
    }
    entry.counter!.rows++;
    // Only rows of schools with two codes can be rejected after staging (validate()); only they need their pair remembered.
    if (school.multiCode) this.rowPair.set(record.sourceRow, [record.year, school.id, assessment.id]);
    const values = participantValuesText(
      record.participantCode,
      record.classLabel,
      record.variant,
      record.taskScores.length > 0 ? record.taskScores : null,
      record.primaryScore,
      record.mark,
      record.journalMark,
      record.testScore,
      null,
    );
    return `${entry.keysText}${values}\t${record.sourceRow}\n`;
  }

  private codeEntry(match: SchoolMatch): CodeEntry {
    let school: SchoolState | null = null;
    if (match.kind === 'found') {
      school = this.schoolStates.get(match.schoolId) ?? { id: match.schoolId, firstCode: null, multiCode: false };
      this.schoolStates.set(match.schoolId, school);
    }
    return { match, school, staged: false, assessmentId: -1, keysText: '', counter: null };
  }

  /**
   * ФИС ОКО's task maxima become the scale of assessments none applies to yet: the confirmed one when an
   * administrator imports (their import is the confirmation), else a provisional one for the importer's region
   * only, so a wrong file never decides how other regions' rows are judged.
   */
  private async takeScaleFromFile(assessmentIds: number[]): Promise<string[]> {
    const fromFile = scaleFromFile(this.ctx.metadata);
    if (!fromFile || assessmentIds.length === 0) return [];
    const ids = arrayLiteral([...new Set(assessmentIds)]);
    const regionId = provisionalRegionOf(this.ctx.principal);
    const tasksNote = fromFile.tasks.length > 0 ? `и ${fromFile.tasks.length} заданий с уровнями` : '(уровни заданий в файле не указаны — задания не сохранены)';
    if (regionId === null) {
      const confirmable = `select a.id from assessment a where a.id = any('${ids}'::int[]) and not ${hasConfirmedScaleSql('a')}`;
      await this.ctx.undo.keep(UNDO_TARGETS.assessment, confirmable);
      await this.ctx.undo.keep(UNDO_TARGETS.provisionalScale, `select assessment_id, region_id from provisional_scale where assessment_id in (${confirmable})`);
      const { rows } = await this.ctx.trx.raw(
        `update assessment a set max_primary = ?, tasks = ?::jsonb, scale_confirmed_at = now(), scale_confirmed_by = ?
         where a.id = any(?::int[]) and not ${hasConfirmedScaleSql('a')} returning a.id`,
        [fromFile.maxPrimary, JSON.stringify(fromFile.tasks), this.ctx.principal.actor, ids],
      );
      if (rows.length === 0) return [];
      const confirmed = arrayLiteral((rows as { id: number }[]).map((row) => row.id));
      const { rows: replaced } = await this.ctx.trx.raw(
        `with gone as (delete from provisional_scale where assessment_id = any(?::int[]) returning region_id)
         select r.code from gone join region r on r.id = gone.region_id order by r.code`,
        [confirmed],
      );
      const notes = [`Шкала процедуры взята из файла: максимальный первичный балл ${fromFile.maxPrimary} ${tasksNote}; границы отметок не заданы.`];
      if (replaced.length > 0) notes.push(`Она подтверждена и заменила предварительные шкалы регионов ${(replaced as { code: string }[]).map((row) => row.code).join(', ')}.`);
      return notes;
    }
    await this.ctx.undo.keep(
      UNDO_TARGETS.provisionalScale,
      `select a.id as assessment_id, ${Number(regionId)} as region_id from assessment a
       where a.id = any('${ids}'::int[]) and not ${hasConfirmedScaleSql('a')}
         and not exists (select 1 from provisional_scale p where p.assessment_id = a.id and p.region_id = ${Number(regionId)})`,
    );
    const { rows } = await this.ctx.trx.raw(
      `insert into provisional_scale (assessment_id, region_id, max_primary, tasks, import_batch_id, created_by)
       select a.id, ?, ?, ?::jsonb, ?, ? from assessment a
       where a.id = any(?::int[]) and not ${hasConfirmedScaleSql('a')}
       on conflict (assessment_id, region_id) do nothing returning assessment_id`,
      [regionId, fromFile.maxPrimary, JSON.stringify(fromFile.tasks), this.ctx.batchId, this.ctx.principal.actor, ids],
    );
    if (rows.length === 0) return [];
    return [
      `Предварительная шкала процедуры для вашего региона взята из файла: максимальный первичный балл ${fromFile.maxPrimary} ${tasksNote}; границы отметок не заданы. ` +
        'Она действует только для строк вашего региона, пока администратор хаба не подтвердит шкалу процедуры.',
    ];
  }
}

function sameAssessmentKeys(a: ParticipantResultRecord, b: ParticipantResultRecord): boolean {
  return a.procedure === b.procedure && a.year === b.year && a.subjectName === b.subjectName && a.grade === b.grade;
}

interface SchoolState {
  id: number;
  firstCode: string | null;
  multiCode: boolean;
}

/** One school code of the file. The assessment, leading COPY columns and scope counter are those of its last row. */
interface CodeEntry {
  match: SchoolMatch;
  /** Set when the code matched exactly one school. */
  school: SchoolState | null;
  /** A row with this code was staged. */
  staged: boolean;
  assessmentId: number;
  keysText: string;
  counter: ScopeCounter | null;
}
