import { ProcedureRef } from './types';

/** "ВПР, русский язык, 5 класс" — how an analyst names a procedure. */
export function procedureRu(p: ProcedureRef): string {
  return `${p.procedure}, ${p.subject}, ${p.grade} класс`;
}
