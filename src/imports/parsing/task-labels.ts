/**
 * Task labels as ФИС ОКО and regional files write them, in results headers and in scale templates:
 * «1», «1.1», «2а», «1К1» (criterion К1 of task 1), «3(1)» (sub-task 1 of task 3), each optionally followed by the
 * maximum: «5(1) (1б)», «4.1 (2 балла)», «3 (1)». A sub-task keeps its own label («3(1)», «3(2)»), so tasks stay
 * numbered as the source numbers them.
 */

/** The label: number, optional .sub, optional letter or criterion К<n>, optional attached (sub-task). */
const LABEL = String.raw`\d+(?:[.,]\d+)*(?:\s?[КкKk]\s?\d+|[а-яёa-z](?![а-яёa-z]))?(?:\(\d+\))?`;
const PREFIX = String.raw`(?:(?:задание|зад\.?|№)\s*)?`;
/** «5(1) (1б)», «1К1(2 балла)», «3 (1)»: label and maximum. */
const WITH_MAX = new RegExp(String.raw`^${PREFIX}(${LABEL})\s*\(\s*(\d+)\s*(?:б|балл[а-я]*)\.?\s*\)$|^${PREFIX}(${LABEL})\s+\(\s*(\d+)\s*\)$`, 'i');
/** «3(1)», «1К1», «2а», «12»: a label alone (the maximum comes from the scale). */
const ALONE = new RegExp(String.raw`^${PREFIX}(${LABEL})$`, 'i');
/** The label of a scales template's «номер:уровень:максимум». */
export const TASK_LABEL_PATTERN = LABEL;

/** The label as the hub keeps it: no spaces, «.» for «,», criterion letter as Cyrillic «К», other letters lower case. */
export function normalizeTaskLabel(label: string): string {
  return label
    .replace(/\s+/g, '')
    .replace(/,/g, '.')
    .replace(/([0-9])[КкKk](?=\d)/g, '$1К')
    .replace(/[А-ЯЁA-Z](?<!К)/g, (letter) => letter.toLowerCase());
}

export interface TaskHeader {
  number: string;
  /** null when the header gives no maximum (the scale must). */
  maxPoints: number | null;
}

/** Reads a task column header; null when the header is not a task label. */
export function parseTaskLabelHeader(header: string): TaskHeader | null {
  const text = header.trim().replace(/\s+/g, ' ');
  const withMax = WITH_MAX.exec(text);
  if (withMax) {
    const label = withMax[1] ?? withMax[3];
    return { number: normalizeTaskLabel(label), maxPoints: Number(withMax[2] ?? withMax[4]) };
  }
  const alone = ALONE.exec(text);
  return alone ? { number: normalizeTaskLabel(alone[1]), maxPoints: null } : null;
}

/** A header that starts like a task (a digit, or «Задание 3…») but did not read as one: a file error names it. */
export function looksLikeTaskHeader(header: string): boolean {
  return /^\s*(?:\d|(?:задание|зад\.)\s*\d)/i.test(header);
}
