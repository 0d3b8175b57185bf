/** Returned instead of a result when the data cannot support one; `reason` is for logs and UI. */
export interface Insufficient {
  status: 'INSUFFICIENT_DATA';
  reason: string;
}
