/** Dates of the undo period as the messages show them. */

/** «dd.mm.yyyy» of a moment. */
export function dateRu(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(moment.getDate())}.${pad(moment.getMonth() + 1)}.${moment.getFullYear()}`;
}

/** The day until which an import finished now can be undone. */
export function undoUntilRu(days: number, now = new Date()): string {
  return dateRu(new Date(now.getTime() + days * 86_400_000));
}
