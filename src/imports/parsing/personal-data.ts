/**
 * Personal data in incoming files (ГИА protocols carry names and passports). The hub never keeps it:
 * such columns are read only to derive an anonymised participant code and are never copied into
 * records, issues, summaries or logs.
 */
import { createHmac } from 'node:crypto';
import { normalizeHeader } from './headers';
import type { ImportIssue } from './issues';

/**
 * Normalized headers (see normalizeHeader) of columns that identify a person. A phone, an address or an
 * e-mail counts too, unless the header says it is the school's («Телефон ОО», «Адрес школы»).
 */
const PERSONAL_HEADER_PATTERNS: readonly RegExp[] = [
  /^фамилия/,
  /^имя( |$)/,
  /^отчество/,
  /^фио/,
  /^ф\.? ?и\.? ?о\.?( |$)/,
  /документ/,
  /паспорт/,
  /свидетельств/,
  /^серия/,
  /^номер (документа|паспорта|свидетельства)/,
  /снилс/,
  /рождени/,
  /^д\.? ?р\.?$/,
];

const CONTACT_HEADER = /телефон|адрес|e-?mail|электронн(ая|ой) почт/;
const SCHOOL_CONTACT = /(^| )(оо|школы|организации|учреждения|оу)( |$)/;

export function isPersonalHeader(normalizedHeader: string): boolean {
  if (PERSONAL_HEADER_PATTERNS.some((pattern) => pattern.test(normalizedHeader))) return true;
  return CONTACT_HEADER.test(normalizedHeader) && !SCHOOL_CONTACT.test(normalizedHeader);
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

/** What the hub shows instead of a value that is, or may be, personal data. */
export const HIDDEN_VALUE = 'значение скрыто (персональные данные)';

/** A participant code the hub made itself (see createParticipantAnonymiser): no personal data. */
const ANONYMISED_CODE = /^P-[0-9a-f]{16}$/;

/**
 * Whether a participant code may be stored as the file gives it: letters, digits and `-_/.`, with at least
 * one digit, as ФИС ОКО and РЦОИ codes are. Anything else (a name, a word, text with spaces) is hashed.
 * A loop rather than a regular expression: the CSV fast path calls it once per row.
 */
export function isParticipantCodeForm(value: string): boolean {
  let digits = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits = true;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2f || c === 0x2e) continue;
    else if (c < 0x80 || !/\p{L}/u.test(value.charAt(i))) return false;
  }
  return digits;
}

const NAME_WORD = '[А-ЯЁ](?:[а-яё]+|\\.)(?:-[А-ЯЁ][а-яё]+)*';
const NAME_WORD_CAPS = '[А-ЯЁ]{2,}(?:-[А-ЯЁ]{2,})*';
/** Between words: spaces, or none after an initial ("А.П."). */
const NAME_GAP = '(?:\\s+|(?<=\\.)\\s*)';
/** Two to three capitalised Cyrillic words (initials and hyphens allowed) anywhere in the value. */
const FULL_NAME = new RegExp(`(?<![\\p{L}\\p{N}])${NAME_WORD}(?:${NAME_GAP}${NAME_WORD}){1,2}(?![\\p{L}\\p{N}])`, 'u');
/** The same in capitals, as some protocols write names, only as the whole value: "МАОУ СОШ № 1" is not a name. */
const FULL_NAME_CAPS = new RegExp(`^${NAME_WORD_CAPS}(?:\\s+${NAME_WORD_CAPS}){1,2}$`, 'u');

export function looksLikeFullName(value: string): boolean {
  const text = value.trim();
  return FULL_NAME.test(text) || FULL_NAME_CAPS.test(text);
}

const WORD = /\p{L}{2,}/u;

/**
 * Decides which values an import may show in its issues (row errors, errors.csv, the batch's file error).
 * Hidden: a value of a personal column; a value shaped like a full name, in any file; and in a file that
 * carries personal columns, any value with a word, since a name may have slipped one column over.
 * Codes the hub made (P-…) are always shown: they are what the operator can look up.
 */
export class PersonalDataMask {
  private readonly fileHasPersonalData: boolean;

  /** `personalHeaders`: the personal columns the file carries (the parse summary's personalColumnsDropped). */
  constructor(personalHeaders: readonly string[] = []) {
    this.fileHasPersonalData = personalHeaders.length > 0;
  }

  hides(value: string, columnHeader: string | null): boolean {
    if (value === HIDDEN_VALUE || ANONYMISED_CODE.test(value)) return false;
    if (columnHeader !== null && isPersonalHeader(normalizeHeader(columnHeader))) return true;
    return looksLikeFullName(value) || (this.fileHasPersonalData && WORD.test(value));
  }

  /** The value as an issue may show it. */
  value(value: string | null, columnHeader: string | null): string | null {
    return value !== null && this.hides(value, columnHeader) ? HIDDEN_VALUE : value;
  }

  /** An issue built elsewhere (the loader's, a file-level one), with its value and every echo of it in the message hidden. */
  issue(issue: ImportIssue): ImportIssue {
    const raw = issue.value;
    if (raw === null || !this.hides(raw, issue.column)) return issue;
    let messageRu = issue.messageRu.split(`«${raw}»`).join(`«${HIDDEN_VALUE}»`);
    // Messages quote values; an unquoted echo of a value long enough to identify someone goes too.
    if (raw.trim().length >= 4) messageRu = messageRu.split(raw).join(HIDDEN_VALUE);
    return { ...issue, value: HIDDEN_VALUE, messageRu };
  }
}
