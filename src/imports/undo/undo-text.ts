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

/** Tables as refusals name the data in them. */
export const TABLE_NAMES_RU: Record<string, string> = {
  participant_result: 'результаты участников',
  school_result: 'результаты ОО',
  school_exam_total: 'итоги экзаменов ОО',
  school_context: 'контекст ОО',
  conduct_conditions: 'условия проведения',
  recheck_result: 'перепроверки',
  benchmark_result: 'эталонные значения',
  benchmark_exam_total: 'эталонные итоги экзаменов',
  provisional_scale: 'предварительные шкалы',
  school: 'ОО',
  school_alias: 'коды ОО',
  municipality: 'муниципалитеты',
  api_key: 'ключи доступа',
  action_plan: 'планы мер',
  risk_config: 'настройки рисков',
  import_profile: 'профили загрузки',
};
