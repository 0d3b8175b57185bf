import type { HubConfig } from '../../config/config';

export interface ImportSettings {
  /** Key of the hash that turns ГИА participants into anonymised codes. */
  participantCodeSecret: string;
  /** Largest file the parser reads (the upload limit). */
  maxFileBytes: number;
  /**
   * A participant import of one year with at least this many rows rebuilds the year's partition (bulk index
   * build, one foreign-key check) instead of updating it row by row, when it replaces most of the year.
   */
  rebuildMinRows: number;
  /** Row errors stored per batch; the rest are counted in the batch's totals only. */
  maxStoredRowErrors: number;
  /** Days what a merge replaced is kept for revertImport (IMPORT_UNDO_DAYS; 90 when not given). */
  undoDays?: number;
}

export function importSettings(config: Pick<HubConfig, 'participantCodeSecret' | 'maxUploadBytes' | 'maxStoredRowErrors' | 'importUndoDays'>): ImportSettings {
  return {
    participantCodeSecret: config.participantCodeSecret,
    maxFileBytes: config.maxUploadBytes,
    rebuildMinRows: 50_000,
    maxStoredRowErrors: config.maxStoredRowErrors,
    undoDays: config.importUndoDays,
  };
}
