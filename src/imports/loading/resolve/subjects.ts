/**
 * Subject names of a file → subject ids: a subject the hub already has (by name or code), else one from the
 * catalogue, created inside the import's transaction so that a rejected import leaves nothing behind.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { catalogueSubject, normalizeSubjectName, SUBJECT_CATALOGUE } from './subject-catalogue';

interface SubjectRow {
  id: number;
  code: string;
  name: string;
}

export class SubjectResolver {
  private byName: Map<string, SubjectRow> | null = null;
  private readonly created = new Map<string, number>();

  constructor(private readonly trx: Knex) {}

  /** The id of a subject the hub already has under this name (or its catalogue code); creates nothing. */
  async existingId(name: string): Promise<number | null> {
    const known = await this.known();
    const existing = known.get(normalizeSubjectName(name));
    if (existing) return existing.id;
    const subject = catalogueSubject(name);
    return subject ? ([...known.values()].find((row) => row.code === subject.code)?.id ?? null) : null;
  }

  /** The subject id for a name, creating a catalogue subject when needed; null when the name is unknown. */
  async idFor(name: string): Promise<number | null> {
    const known = await this.known();
    const normalized = normalizeSubjectName(name);
    const existing = known.get(normalized);
    if (existing) return existing.id;
    const subject = catalogueSubject(name);
    if (!subject) return null;
    const byCode = [...known.values()].find((row) => row.code === subject.code);
    if (byCode) return byCode.id;
    const cached = this.created.get(subject.code);
    if (cached !== undefined) return cached;
    const { rows } = await this.trx.raw(`insert into subject (code, name) values (?, ?) on conflict (code) do update set name = subject.name returning id`, [
      subject.code,
      subject.name,
    ]);
    this.created.set(subject.code, rows[0].id);
    known.set(normalized, { id: rows[0].id, code: subject.code, name: subject.name });
    return rows[0].id;
  }

  private async known(): Promise<Map<string, SubjectRow>> {
    if (this.byName) return this.byName;
    const { rows } = await this.trx.raw(`select id, code, name from subject`);
    this.byName = new Map();
    for (const row of rows as SubjectRow[]) {
      this.byName.set(normalizeSubjectName(row.name), row);
      this.byName.set(normalizeSubjectName(row.code), row);
    }
    return this.byName;
  }
}

export function unknownSubjectReason(name: string): string {
  return `предмет «${name}» хабу не известен; известные предметы: ${SUBJECT_CATALOGUE.map((s) => s.name).join(', ')}`;
}
