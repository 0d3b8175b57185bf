/**
 * Answer strings of ГИА protocols.
 * Short answers: one character per task — "+" correct (1 point), "-" wrong (0), a digit = points
 * (tasks worth more than one point), "X"/"Х"/"N" not attempted (null).
 * Extended answers: "points(max)" per criterion — "2(2)1(3)0(2)"; "X(2)" or "-(2)" not attempted.
 */

export interface ShortAnswers {
  scores: (number | null)[];
}

export interface ExtendedAnswers {
  scores: (number | null)[];
  maxPoints: number[];
}

export type AnswerParse<T> = { ok: true; value: T } | { ok: false; position: number };

export function parseShortAnswers(text: string): AnswerParse<ShortAnswers> {
  const compact = text.replace(/\s+/g, '');
  const scores: (number | null)[] = new Array(compact.length);
  for (let i = 0; i < compact.length; i++) {
    const char = compact[i];
    if (char === '+') scores[i] = 1;
    else if (char === '-' || char === '−' || char === '–') scores[i] = 0;
    else if (char >= '0' && char <= '9') scores[i] = char.charCodeAt(0) - 48;
    else if (char === 'X' || char === 'x' || char === 'Х' || char === 'х' || char === 'N') scores[i] = null;
    else return { ok: false, position: i + 1 };
  }
  return { ok: true, value: { scores } };
}

const EXTENDED_PART = /([0-9]+|[XxХх-])\((\d+)\)/y;

export function parseExtendedAnswers(text: string): AnswerParse<ExtendedAnswers> {
  const compact = text.replace(/\s+/g, '');
  const scores: (number | null)[] = [];
  const maxPoints: number[] = [];
  EXTENDED_PART.lastIndex = 0;
  let position = 0;
  while (position < compact.length) {
    EXTENDED_PART.lastIndex = position;
    const match = EXTENDED_PART.exec(compact);
    if (match === null) return { ok: false, position: position + 1 };
    scores.push(/^\d+$/.test(match[1]) ? Number(match[1]) : null);
    maxPoints.push(Number(match[2]));
    position = EXTENDED_PART.lastIndex;
  }
  return { ok: true, value: { scores, maxPoints } };
}
