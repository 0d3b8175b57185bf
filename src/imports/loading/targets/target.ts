/** The contract between the import service and the loader of one kind of record. */
import type { ClientBase } from 'pg';
import type { Knex } from '@mikro-orm/postgresql';
import type { RecomputeRequest } from '../../../jobs/recompute-chain';
import type { Principal } from '../../../shared/principal';
import type { Logger } from '../../../shared/logger';
import type { ColumnMapping, ImportMetadata, ImportRecord, LayoutName } from '../../parsing';
import type { ImportSettings } from '../import-settings';
import type { LoaderIssues } from '../loader-issues';
import type { UndoLog } from '../../undo/undo-log';

export interface LoadContext {
  batchId: number;
  /** The uploader's scope: an import touches nothing its key could not read. */
  principal: Principal;
  /** Pool connections: reads and writes that must not wait for (or die with) the import's transaction. */
  knex: Knex;
  /** The import's one transaction: staging, checks against the hub's data, and the merge. */
  trx: Knex.Transaction;
  /** The transaction's connection, for COPY. */
  client: ClientBase;
  issues: LoaderIssues;
  layout: LayoutName;
  metadata: ImportMetadata;
  mapping: ColumnMapping | null;
  /** Session stated at upload ("spring", "autumn", "main"…); null = the procedure's usual one. */
  session: string | null;
  settings: ImportSettings;
  log: Logger;
  /** Where the merge keeps what it replaces (the loader calls it before it writes). */
  undo: UndoLog;
  /**
   * Year partitions created from the pool for this import (outside its transaction, so they outlive a rollback): the
   * run drops those left empty when the import does not commit — a dry run, a rejected or failed file.
   */
  createdOutside: number[];
}

interface Affected {
  schoolIds: number[];
  assessmentIds: number[];
  years: number[];
}

export interface MergeOutcome {
  inserted: number;
  replaced: number;
  affected: Affected;
  recompute: RecomputeRequest[];
  /** What the import did besides the rows, in words for the operator (e.g. a scale taken from the file). */
  notesRu: string[];
}

export interface TargetLoader {
  /** Creates the staging table inside the transaction. */
  prepare(): Promise<void>;
  /** COPYs the parsed records into staging as the parser reads them; `onRows` sees the running total. */
  stage(batches: AsyncIterable<ImportRecord[]>, onRows: (rows: number) => void): Promise<void>;
  /** Checks the staged rows against the hub's data (school codes, subjects, scales, duplicates), reporting row problems. */
  validate(): Promise<void>;
  /** Replaces exactly the import's scope with the valid staged rows. */
  merge(): Promise<MergeOutcome>;
  /** Work after the commit (statistics of a rebuilt partition). */
  afterCommit(): Promise<void>;
}

