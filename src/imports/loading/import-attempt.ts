/**
 * One attempt at importing one batch: parse (stream) → COPY into staging → checks against the hub's data →
 * policy → merge, all in ONE transaction together with the batch's final status and the recompute requests
 * (outbox). A rejected or failed attempt rolls everything back; only its row errors (written outside the
 * transaction) and the batch's verdict remain.
 */
import { access } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { ClientBase } from 'pg';
import type { Knex } from '@mikro-orm/postgresql';
import type { JobGateway, JobTicket } from '../../jobs/job-gateway';
import { provisionalRegionOf } from '../../assessments/scale';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import type { Logger } from '../../shared/logger';
import { testPause } from '../../shared/test-hooks';
import { ImportBatchStore, type BatchOutcome, type FileErrorRecord, type ImportBatchRow } from '../batch/import-batch.store';
import { decideMerge, type PolicyCounts } from '../batch/import-policy';
import { ImportStatus } from '../batch/import-status';
import { RowErrorSink } from '../batch/row-errors';
import { undoUntilRu } from '../undo/undo-text';
import { UndoLog, type PreviewEntry } from '../undo/undo-log';
import { keepsFileForRerun } from '../batch/kept-files';
import { removeUpload } from '../upload/upload-store';
import { ImportFileError, parseImportFile, type ColumnMapping, type ImportRecord, type ParsedImport, type ScaleForValidation } from '../parsing';
import type { ImportSettings } from './import-settings';
import { LoaderIssues } from './loader-issues';
import { AssessmentResolver, defaultSession, type ResolvedAssessment } from './resolve/assessments';
import { SubjectResolver } from './resolve/subjects';
import { loaderFor } from './targets';
import { dropPartitionIfEmpty } from './targets/participant-partition';
import { taskStructureConflict } from './targets/participant-scale';
import type { LoadContext, MergeOutcome, TargetLoader } from './targets/target';

export interface ImportProgress {
  stage: ImportStatus;
  rows: number;
  errors: number;
}

export interface ImportAttemptOutcome {
  batchId: number;
  status: ImportStatus;
  rowsRead: number;
  rowsInserted: number;
  rowsReplaced: number;
  errors: number;
  recomputeTickets: string[];
}

/** The file or its rows were refused; the transaction rolls back with this. */
class Rejection extends Error {
  constructor(
    readonly reasonRu: string,
    readonly fileError: FileErrorRecord | null,
    /** Known when the rows were checked and the policy refused them. */
    readonly counts: PolicyCounts | null = null,
  ) {
    super(reasonRu);
  }
}

/** A dry run merged, read what it would change, and rolls it all back with this. */
class DryRunDone extends Error {
  constructor(
    readonly preview: PreviewEntry[],
    readonly merged: MergeOutcome,
    readonly counts: PolicyCounts,
  ) {
    super('dry run');
  }
}

/** Advisory-lock namespace of merges of one record kind. */
export const IMPORT_KIND_LOCK = 41_032;
/** How often progress reaches the batch row while rows stream. */
const PROGRESS_EVERY_MS = 1000;
/** Errors buffered before they are written mid-stream. */
const ERRORS_PER_FLUSH = 1000;

function principalOf(batch: ImportBatchRow): Principal {
  return { actor: batch.actor, keyId: null, role: batch.role, regionId: batch.role === Role.ADMIN ? null : batch.region_id, municipalityId: null, schoolId: null };
}

function fileErrorOf(issue: ImportFileError['issue']): FileErrorRecord {
  const { code, messageRu, sheet, row, column, value } = issue;
  return { code, messageRu, sheet, row, column, value };
}

/** One attempt at one batch, given by ImportBatchRunner: parse, stage, check and merge in one transaction. */
export class ImportAttempt {
  private readonly store: ImportBatchStore;
  private readonly sink: RowErrorSink;
  private readonly started = performance.now();
  private lastProgress = 0;
  /** The progress update in flight: awaited before the stage changes, so a late one never overwrites a later state. */
  private pendingProgress: Promise<unknown> = Promise.resolve();
  private parseMs: number | null = null;
  private validateMs: number | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly gateway: JobGateway,
    private readonly log: Logger,
    private readonly settings: ImportSettings,
    private readonly batch: ImportBatchRow,
    private readonly onProgress: (progress: ImportProgress) => Promise<void> | void,
  ) {
    this.store = new ImportBatchStore(knex);
    this.sink = new RowErrorSink(knex, batch.id, settings.maxStoredRowErrors);
  }

  async execute(): Promise<ImportAttemptOutcome> {
    const { batch } = this;
    const path = batch.stored_path;
    if (path === null || !(await access(path).then(() => true, () => false))) {
      return this.conclude({
        status: ImportStatus.FAILED,
        messageRu: 'Загруженный файл не найден на диске: загрузите его снова (API и обработчик должны видеть один каталог IMPORT_DIR).',
      });
    }
    let parsed: ParsedImport | null = null;
    try {
      parsed = await this.open(null);
      await this.store.setLayout(batch.id, parsed.layout, parsed.metadata.recordKind);
      const fileAssessment = await this.storedFileAssessment(parsed);
      if (fileAssessment) {
        const conflict = taskStructureConflict(parsed.metadata, fileAssessment.scale);
        if (conflict) throw new Rejection(conflict, { code: 'METADATA_CONFLICT', messageRu: conflict, sheet: parsed.summary.sheet, row: parsed.metadata.headerRow, column: null, value: null });
        // The parser checks every score and mark against the stored scale, with cell addresses; reopen with it.
        await parsed.close();
        parsed = await this.open(toParserScale(fileAssessment));
      }
      return await this.load(parsed, fileAssessment?.id ?? null);
    } catch (error) {
      await parsed?.close();
      if (error instanceof ImportFileError) {
        const shown = this.sink.shown(error.issue);
        this.sink.add(error.issue);
        return this.reject(new Rejection(shown.messageRu, fileErrorOf(shown)), parsed);
      }
      if (error instanceof Rejection) return this.reject(error, parsed);
      await this.sink.flush().catch(() => undefined);
      throw error;
    }
  }

  private async open(scale: ScaleForValidation | null): Promise<ParsedImport> {
    const { batch } = this;
    const parsed = await parseImportFile({
      path: batch.stored_path!,
      fileName: batch.file_name,
      layout: (batch.layout_requested ?? undefined) as ParsedImport['layout'] | undefined,
      mapping: (batch.mapping ?? undefined) as ColumnMapping | undefined,
      constants: batch.constants,
      encoding: batch.read_options.encoding,
      separator: batch.read_options.separator,
      sheet: batch.read_options.sheet,
      recordsPath: batch.read_options.recordsPath,
      scale: scale ?? undefined,
      secret: this.settings.participantCodeSecret,
      limits: { maxFileBytes: this.settings.maxFileBytes, maxIssues: 100 },
      onIssue: (issue) => this.sink.add(issue),
    });
    this.sink.maskPersonalData(parsed.summary.personalColumnsDropped.headers);
    return parsed;
  }

  /**
   * For a participant file whose title names its assessment: that assessment, when a scale applies to the file
   * (the confirmed one, else the importer's region's provisional one: another region's never judges it).
   */
  private async storedFileAssessment(parsed: ParsedImport): Promise<ResolvedAssessment | null> {
    const { recordKind, procedure, year, subjectName, grade } = parsed.metadata;
    if (recordKind !== 'participant-result' || procedure === null || year === null || subjectName === null || grade === null) return null;
    const subjectId = await new SubjectResolver(this.knex).existingId(subjectName);
    if (subjectId === null) return null;
    const session = this.batch.constants.session ? String(this.batch.constants.session) : defaultSession(procedure);
    const found = await new AssessmentResolver(this.knex, provisionalRegionOf(principalOf(this.batch))).find({ procedure, year, session, subjectId, grade });
    return found && found.scale.maxPrimary !== null ? found : null;
  }

  private async load(parsed: ParsedImport, parserScaleAssessmentId: number | null): Promise<ImportAttemptOutcome> {
    const { batch } = this;
    const issues = new LoaderIssues(this.sink, batch.file_name, parsed.summary.sheet, parsed.headers);
    let loader: TargetLoader | null = null;
    const createdOutside: number[] = [];
    const committed = await this.knex.transaction(async (trx) => {
      // Large files take longer than the API's statement timeout; the import is bounded by its job instead.
      await trx.raw('set local statement_timeout = 0');
      const client = (await trx.client.acquireConnection()) as ClientBase;
      const ctx: LoadContext = {
        batchId: batch.id,
        principal: principalOf(batch),
        knex: this.knex,
        trx,
        client,
        issues,
        layout: parsed.layout,
        metadata: parsed.metadata,
        mapping: (batch.mapping ?? null) as ColumnMapping | null,
        session: batch.constants.session ? String(batch.constants.session) : null,
        settings: this.settings,
        log: this.log,
        undo: new UndoLog(trx, batch.id),
        createdOutside,
      };
      loader = loaderFor(parsed.metadata.recordKind, ctx, parserScaleAssessmentId);
      await loader.prepare();
      await loader.stage(this.reporting(parsed.batches), (rows) => this.progress(ImportStatus.PARSING, rows));
      await this.sink.flush();
      await this.pendingProgress;
      this.parseMs = Math.round(performance.now() - this.started);

      const validating = performance.now();
      const summary = parsed.summary;
      await this.store.setStage(batch.id, ImportStatus.VALIDATING, { rows: summary.dataRows, errors: this.sink.errors });
      await this.onProgress({ stage: ImportStatus.VALIDATING, rows: summary.dataRows, errors: this.sink.errors });
      await loader.validate();
      await this.sink.flush();
      this.validateMs = Math.round(performance.now() - validating);

      const counts: PolicyCounts = { read: summary.dataRows, rejected: summary.rejectedRows + issues.rejectedRows.size, skipped: issues.skippedRows.size + summary.absentRows };
      const decision = decideMerge(batch.policy, batch.max_error_share, counts);
      if (!decision.merge) throw new Rejection(decision.reasonRu, null, counts);

      const merging = performance.now();
      await this.store.setStage(batch.id, ImportStatus.MERGING, { rows: summary.dataRows, errors: this.sink.errors });
      await this.onProgress({ stage: ImportStatus.MERGING, rows: summary.dataRows, errors: this.sink.errors });
      if (parsed.metadata.recordKind !== 'participant-result') {
        // Two imports of one kind replacing overlapping scopes would trip over each other's keys: one merges at a time
        // (participant results lock per year instead, in their loader).
        await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [IMPORT_KIND_LOCK, parsed.metadata.recordKind]);
      }
      const merged = await loader.merge();
      if (batch.dry_run) throw new DryRunDone(await ctx.undo.preview(), merged, counts);
      const tickets: JobTicket[] = [];
      for (const request of merged.recompute) {
        tickets.push(await this.gateway.record({ ...request, payload: { ...request.payload, requestedBy: batch.actor }, requestedBy: batch.actor }, trx));
      }
      const mergeMs = Math.round(performance.now() - merging);
      await this.store.finish(batch.id, this.doneOutcome(parsed, counts, merged, tickets, mergeMs), trx);
      await testPause('imports.beforeCommit');
      return { merged, tickets, counts };
    }).catch(async (error: unknown) => {
      // Nothing was kept: a year partition made for this import alone goes again.
      await this.dropEmptyPartitions(createdOutside);
      if (error instanceof DryRunDone) return error;
      throw error;
    });
    if (committed instanceof DryRunDone) return this.concludeDryRun(parsed, committed);
    // The file goes first: the batch is final, and statistics and job dispatch can take a while.
    await this.cleanUp({ status: ImportStatus.DONE, rowsRejected: committed.counts.rejected });
    await this.gateway.dispatch(committed.tickets);
    await (loader as TargetLoader | null)?.afterCommit();
    this.log.info(
      { batchId: batch.id, layout: parsed.layout, rows: committed.counts.read, inserted: committed.merged.inserted, replaced: committed.merged.replaced, ms: Math.round(performance.now() - this.started) },
      'import merged',
    );
    return {
      batchId: batch.id,
      status: ImportStatus.DONE,
      rowsRead: committed.counts.read,
      rowsInserted: committed.merged.inserted,
      rowsReplaced: committed.merged.replaced,
      errors: this.sink.errors,
      recomputeTickets: committed.tickets.map((ticket) => ticket.id),
    };
  }

  /** Year partitions created from the pool for an import that did not commit, dropped where still empty. */
  private async dropEmptyPartitions(years: readonly number[]): Promise<void> {
    for (const year of new Set(years)) {
      try {
        if (await this.knex.transaction((trx) => dropPartitionIfEmpty(trx, year))) this.log.info({ batchId: this.batch.id, year }, 'empty year partition of an import that did not commit dropped');
      } catch (error) {
        // Left in place: an empty partition costs nothing, and the import's own outcome matters more.
        this.log.warn({ batchId: this.batch.id, year, err: (error as Error).message }, 'cannot drop the empty year partition');
      }
    }
  }

  /**
   * A dry run: nothing was kept (the transaction rolled back); the batch waits again, UPLOADED with its file, for
   * startImport without dryRun, and shows what the import would replace and add.
   */
  private async concludeDryRun(parsed: ParsedImport, done: DryRunDone): Promise<ImportAttemptOutcome> {
    const { batch } = this;
    const { counts, merged, preview } = done;
    const rows = this.mergedRows(parsed, counts, merged);
    const messageRu =
      `Пробный запуск: данные не изменены. Загрузка заменила бы записей: ${merged.replaced}, добавила бы: ${merged.inserted} ` +
      `(строк принято: ${rows.rowsAccepted} из ${counts.read}); по ОО и процедурам — в preview. Чтобы загрузить файл, запустите startImport без dryRun.`;
    await this.store.finish(batch.id, {
      status: ImportStatus.UPLOADED,
      messageRu,
      ...rows,
      preview: preview as unknown as Record<string, unknown>[],
      parseMs: this.parseMs,
      validateMs: this.validateMs,
    });
    // The file stays for the real import; only the dry-run flag goes.
    await this.knex.raw(`update import_batch set dry_run = false, finished_at = null where id = ?`, [batch.id]);
    this.log.info({ batchId: batch.id, inserted: merged.inserted, replaced: merged.replaced }, 'import dry run finished');
    return { batchId: batch.id, status: ImportStatus.UPLOADED, rowsRead: counts.read, rowsInserted: 0, rowsReplaced: 0, errors: this.sink.errors, recomputeTickets: [] };
  }

  /** What a merged file's batch records of itself, the same for a dry run and a real import. */
  private mergedRows(parsed: ParsedImport, counts: PolicyCounts, merged: MergeOutcome) {
    return {
      layout: parsed.layout,
      recordKind: parsed.metadata.recordKind,
      report: this.report(parsed, merged.notesRu),
      rowsRead: counts.read,
      rowsAccepted: counts.read - counts.rejected - counts.skipped,
      rowsRejected: counts.rejected,
      rowsSkipped: counts.skipped,
      rowsInserted: merged.inserted,
      rowsReplaced: merged.replaced,
      errorsTotal: this.sink.errors,
      warningsTotal: this.sink.warnings,
    };
  }

  private doneOutcome(parsed: ParsedImport, counts: PolicyCounts, merged: MergeOutcome, tickets: JobTicket[], mergeMs: number): BatchOutcome {
    const rows = this.mergedRows(parsed, counts, merged);
    const undoDays = this.settings.undoDays ?? 90;
    const parts = [
      `Загружено строк: ${rows.rowsAccepted} из ${counts.read}; добавлено записей: ${merged.inserted}, заменено: ${merged.replaced}.`,
      `Заменённое сохранено: загрузку можно отменить (revertImport) до ${undoUntilRu(undoDays)}.`,
    ];
    if (counts.rejected > 0) parts.push(`Строк с ошибками (не загружены): ${counts.rejected}.`);
    const absent = parsed.summary.absentRows;
    if (counts.skipped > absent) parts.push(`Строк пропущено с предупреждением: ${counts.skipped - absent}.`);
    if (absent > 0) parts.push(`Отсутствовали (не писали работу): ${absent}.`);
    return {
      status: ImportStatus.DONE,
      messageRu: [...parts, ...merged.notesRu].join(' '),
      ...rows,
      affectedSchoolIds: merged.affected.schoolIds,
      affectedAssessmentIds: merged.affected.assessmentIds,
      affectedYears: merged.affected.years,
      recomputeTickets: tickets.map((ticket) => ticket.id),
      parseMs: this.parseMs,
      validateMs: this.validateMs,
      mergeMs,
      undoDays,
      recomputeRequests: merged.recompute,
    };
  }

  private async reject(rejection: Rejection, parsed: ParsedImport | null): Promise<ImportAttemptOutcome> {
    await this.sink.flush();
    const summary = parsed?.summary;
    return this.conclude({
      status: ImportStatus.REJECTED,
      messageRu: rejection.fileError ? `Файл не загружен: ${rejection.reasonRu}` : rejection.reasonRu,
      fileError: rejection.fileError,
      layout: parsed?.layout ?? null,
      recordKind: parsed?.metadata.recordKind ?? null,
      report: parsed ? this.report(parsed, []) : null,
      rowsRead: rejection.counts?.read ?? summary?.dataRows ?? 0,
      rowsAccepted: rejection.counts ? rejection.counts.read - rejection.counts.rejected - rejection.counts.skipped : 0,
      rowsRejected: rejection.counts?.rejected ?? summary?.rejectedRows ?? 0,
      rowsSkipped: rejection.counts?.skipped ?? 0,
      errorsTotal: this.sink.errors,
      warningsTotal: this.sink.warnings,
      parseMs: this.parseMs,
      validateMs: this.validateMs,
    });
  }

  private async conclude(outcome: BatchOutcome): Promise<ImportAttemptOutcome> {
    await this.store.finish(this.batch.id, outcome);
    await this.cleanUp(outcome);
    this.log.info({ batchId: this.batch.id, status: outcome.status, errors: this.sink.errors }, 'import finished without merging');
    return {
      batchId: this.batch.id,
      status: outcome.status,
      rowsRead: outcome.rowsRead ?? 0,
      rowsInserted: 0,
      rowsReplaced: 0,
      errors: this.sink.errors,
      recomputeTickets: [],
    };
  }

  /**
   * The upload may hold personal data (ГИА protocols): it goes as soon as the batch is final — unless rows were refused
   * against the hub's data, then it stays for a re-run until the upload sweeper removes it (kept-files.ts).
   */
  private async cleanUp(outcome: Parameters<typeof keepsFileForRerun>[0]): Promise<void> {
    if (keepsFileForRerun(outcome)) return;
    await removeUpload(this.batch.stored_path);
    await this.store.forgetFile(this.batch.id);
  }

  private report(parsed: ParsedImport, notesRu: string[]): Record<string, unknown> {
    const { summary, metadata } = parsed;
    return {
      format: summary.format,
      encoding: summary.encoding,
      separator: summary.separator,
      sheet: summary.sheet,
      otherSheets: summary.otherSheets,
      headerRow: summary.headerRow,
      layoutConfidence: summary.layoutConfidence,
      title: metadata.title,
      procedure: metadata.procedure,
      year: metadata.year,
      subjectName: metadata.subjectName,
      grade: metadata.grade,
      session: metadata.session,
      ignoredColumns: metadata.ignoredColumns,
      personalColumnsDropped: summary.personalColumnsDropped,
      anonymisedFrom: metadata.anonymisedFrom,
      blankRows: summary.blankRows,
      absentRows: summary.absentRows,
      notes: [...summary.notesRu, ...notesRu, ...this.sink.notesRu()],
      rowErrorsStored: this.sink.stored,
    };
  }

  /** Passes the parser's batches on, writing row errors and progress as they accumulate. */
  private async *reporting(batches: AsyncIterable<ImportRecord[]>): AsyncGenerator<ImportRecord[]> {
    for await (const batch of batches) {
      if (this.sink.pendingCount >= ERRORS_PER_FLUSH) await this.sink.flush();
      yield batch;
    }
  }

  private progress(stage: ImportStatus, rows: number): void {
    const now = performance.now();
    if (now - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = now;
    const progress = { stage, rows, errors: this.sink.errors };
    // Progress is advisory: a lost update must not fail the import.
    this.pendingProgress = Promise.all([
      this.store.setProgress(this.batch.id, progress).catch((err) => this.log.warn({ batchId: this.batch.id, err: String(err) }, 'cannot record import progress')),
      Promise.resolve(this.onProgress(progress)).catch(() => undefined),
    ]);
  }
}

function toParserScale(assessment: ResolvedAssessment): ScaleForValidation {
  const { scale } = assessment;
  return {
    maxPrimary: scale.maxPrimary!,
    markBoundaries: scale.markBoundaries?.map((minPrimary, index) => ({ mark: index + 3, minPrimary })),
    tasks: scale.tasks.length > 0 ? scale.tasks.map((task) => ({ number: task.number, maxPoints: task.maxPoints })) : undefined,
  };
}
