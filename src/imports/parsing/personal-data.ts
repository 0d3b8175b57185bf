/**
 * Personal data in incoming files (ГИА protocols carry names and passports). The hub never keeps it:
 * such columns are read only to derive an anonymised participant code and are never copied into
 * records, issues, summaries or logs.
 */
import { createHmac } from 'node:crypto';

/**
 * Normalized headers (see normalizeHeader) of columns that identify a person. Phones, addresses and
 * e-mails are left out: in school files they are the school's, and none of the layouts reads them.
 */
const PERSONAL_HEADER_PATTERNS: readonly RegExp[] = [
  /^фамилия/,
  /^имя( участника)?$/,
  /^отчество/,
  /^фио/,
  /^ф\.? ?и\.? ?о\.?$/,
  /документ/,
  /паспорт/,
  /^серия/,
  /^номер (документа|паспорта)/,
  /снилс/,
  /дата рождения/,
  /^д\.? ?р\.?$/,
];

export function isPersonalHeader(normalizedHeader: string): boolean {
  return PERSONAL_HEADER_PATTERNS.some((pattern) => pattern.test(normalizedHeader));
}

/** Bump when the inputs of the hash change, so old and new codes never collide by accident. */
const ANONYMISATION_CONTEXT = 'msoko-hub/participant/v1';
const MIN_SECRET_BYTES = 16;

export type ParticipantAnonymiser = (identifyingFields: readonly (string | null)[]) => string;

/**
 * `P-` + 16 hex chars of HMAC-SHA256(secret, fields). Keyed, so nobody without the server secret can
 * test a guessed name against a code; stable, so the same person gets the same code in every file.
 * Fields are upper-cased with ё→Е and collapsed spaces: "Иванова  Алёна" and "ИВАНОВА АЛЕНА" are one person.
 */
export function createParticipantAnonymiser(secret: string | Buffer): ParticipantAnonymiser {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`The anonymisation secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return (fields) => {
    const normalized = fields.map((field) =>
      (field ?? '').toUpperCase().replace(/Ё/g, 'Е').replace(/[\s\u00a0]+/g, ' ').trim(),
    );
    const digest = createHmac('sha256', key).update(ANONYMISATION_CONTEXT).update('\u001f').update(normalized.join('\u001f')).digest('hex');
    return `P-${digest.slice(0, 16)}`;
  };
}

const WORD = /\p{L}{2,}/u;
export const REDACTED_VALUE = '[скрыто]';

/**
 * In a file with personal data, a word in a score column may be a name that slipped one column over,
 * so issue values with words are masked there. Codes, digits and answer strings like "++-1" stay visible.
 */
export function redactIfWords(value: string | null): string | null {
  return value !== null && WORD.test(value) ? REDACTED_VALUE : value;
}
