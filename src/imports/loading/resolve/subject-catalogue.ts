/**
 * Subject names as regional files write them → the hub's subject codes. Files name subjects in words
 * ("Русский язык", "Математика профильная"); the hub keys assessments by code (RUS, MATH_PROF…).
 */
export interface CatalogueSubject {
  code: string;
  name: string;
  /** Other spellings, normalised (see normalizeSubjectName). */
  aliases: readonly string[];
}

export const SUBJECT_CATALOGUE: readonly CatalogueSubject[] = [
  { code: 'RUS', name: 'Русский язык', aliases: ['русский', 'русский яз.', 'рус. яз.', 'rus'] },
  { code: 'MATH', name: 'Математика', aliases: ['матем.', 'math'] },
  {
    code: 'MATH_PROF',
    name: 'Математика (профильный уровень)',
    aliases: ['математика профильная', 'математика (профиль)', 'математика профильного уровня', 'профильная математика', 'математика (профильная)', 'математика п'],
  },
  {
    code: 'MATH_BASE',
    name: 'Математика (базовый уровень)',
    aliases: ['математика базовая', 'математика (база)', 'математика базового уровня', 'базовая математика', 'математика (базовая)', 'математика б'],
  },
  { code: 'ENV', name: 'Окружающий мир', aliases: [] },
  { code: 'BIO', name: 'Биология', aliases: [] },
  { code: 'GEO', name: 'География', aliases: [] },
  { code: 'HIST', name: 'История', aliases: [] },
  { code: 'SOC', name: 'Обществознание', aliases: [] },
  { code: 'PHYS', name: 'Физика', aliases: [] },
  { code: 'CHEM', name: 'Химия', aliases: [] },
  { code: 'INF', name: 'Информатика', aliases: ['информатика и икт'] },
  { code: 'LIT', name: 'Литература', aliases: [] },
  { code: 'ENG', name: 'Английский язык', aliases: ['английский'] },
  { code: 'GER', name: 'Немецкий язык', aliases: ['немецкий'] },
  { code: 'FRA', name: 'Французский язык', aliases: ['французский'] },
  { code: 'SPA', name: 'Испанский язык', aliases: ['испанский'] },
  { code: 'CHI', name: 'Китайский язык', aliases: ['китайский'] },
];

/** Lower case, ё → е, one space between words. */
export function normalizeSubjectName(name: string): string {
  return name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

const BY_NAME = new Map<string, CatalogueSubject>();
for (const subject of SUBJECT_CATALOGUE) {
  for (const spelling of [subject.name, subject.code, ...subject.aliases]) BY_NAME.set(normalizeSubjectName(spelling), subject);
}

export function catalogueSubject(name: string): CatalogueSubject | null {
  return BY_NAME.get(normalizeSubjectName(name)) ?? null;
}
