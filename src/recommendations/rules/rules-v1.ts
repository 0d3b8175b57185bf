import { MarkerCode, ZoneLevel } from '../../risk/markers';
import type { RecommendationRule } from './rule';

/**
 * Recommendation rules, version 1: from risk markers and zones (methodology v1, src/risk/markers.ts) to
 * catalogue measures (catalogue/measures-v1.ts). Stored recommendations carry RULES_VERSION so a later
 * change of rules can be told apart from a change of data.
 */
export const RULES_VERSION = 1;

/**
 * Signs that a school's results are higher than its pupils' real level: the published criteria A and B,
 * boundary peaks, «повысили», cohort drop and re-check losses. They call for outside eyes on conduct and
 * checking, which is what every seed prescribes for «школы с признаками необъективности».
 */
const INFLATED_RESULTS_MARKERS: MarkerCode[] = [
  MarkerCode.HIGH_RESULTS,
  MarkerCode.BOUNDARY_BUNCHING,
  MarkerCode.JOURNAL_RAISED,
  MarkerCode.TASK_INVERSION,
  MarkerCode.NOT_CONFIRMED_OGE,
  MarkerCode.NOT_CONFIRMED_EGE,
  MarkerCode.COHORT_DROP,
  MarkerCode.RECHECK_DISCREPANCY,
];

/** Markers that can be read on a ВПР grade 4–5 work, hence checked by re-marking those works. */
const PRIMARY_VPR_MARKERS: MarkerCode[] = INFLATED_RESULTS_MARKERS.filter(
  (code) => code !== MarkerCode.NOT_CONFIRMED_OGE && code !== MarkerCode.NOT_CONFIRMED_EGE,
);

const LOW_RESULTS_MARKERS: MarkerCode[] = [
  MarkerCode.LOW_RESULTS_PERSISTENT,
  MarkerCode.GIA_BELOW_MINIMUM,
  MarkerCode.FAILS_RISING,
  MarkerCode.BELOW_BENCHMARK,
];

export const RULES_V1: readonly RecommendationRule[] = [
  // ── Objectivity: results higher than they should be ──────────────────────────────────────────────
  {
    code: 'INFLATED_RESULTS_CONDUCT_CONTROL',
    descriptionRu:
      'Высокие результаты не подтверждаются (пики у границ отметок, «повысили», инверсия заданий, неподтверждение ОГЭ/ЕГЭ, падение когорты, расхождения перепроверки): независимые наблюдатели, видеонаблюдение при проведении и проверке, коллегиальная проверка без учителей класса.',
    when: { anyMarkers: INFLATED_RESULTS_MARKERS },
    measures: [
      'OBSERVERS_INDEPENDENT',
      'VIDEO_AT_CONDUCT',
      'VIDEO_AT_CHECKING',
      'COLLEGIAL_CHECKING',
      'VPR_SCHOOL_REGULATION',
      'INFORMATION_SECURITY',
    ],
    priority: 1,
  },
  {
    code: 'INFLATED_RESULTS_MANAGEMENT_INTERVIEW',
    descriptionRu:
      'Признаки необъективности результатов: собеседование МОУО с управленческой командой, совещание руководителей школ с признаками необъективности, анализ причин в ОО.',
    when: { anyMarkers: INFLATED_RESULTS_MARKERS },
    measures: ['MANAGEMENT_INTERVIEW', 'FLAGGED_HEADS_MEETING', 'RESULTS_CAUSES_ANALYSIS'],
    priority: 1,
  },
  {
    code: 'PRIMARY_VPR_MUNICIPAL_RECHECK',
    descriptionRu:
      'Признаки необъективности на ВПР 4–5 классов: муниципальная перепроверка работ по русскому языку и математике в 4, 5 классах.',
    when: { anyMarkers: PRIMARY_VPR_MARKERS, grades: [4, 5] },
    measures: ['MUNICIPAL_RECHECK_RU_MATH_4_5'],
    priority: 1,
  },
  {
    code: 'RECHECK_DISCREPANCY_EXTERNAL_CHECKING',
    descriptionRu:
      'Перепроверка уже выявила расхождения: проверка работ с привлечением специалистов других ОО и методистов.',
    when: { anyMarkers: [MarkerCode.RECHECK_DISCREPANCY] },
    measures: ['EXTERNAL_SPECIALISTS_CHECKING'],
    priority: 1,
  },
  {
    code: 'HIGH_RESULTS_WITH_BUNCHING',
    descriptionRu:
      'Высокие результаты сочетаются с пиками у границ отметок (два признака совпадают): наблюдатели из МОУО и проверка специалистами других ОО.',
    when: { allMarkers: [MarkerCode.HIGH_RESULTS, MarkerCode.BOUNDARY_BUNCHING] },
    measures: ['MOUO_STAFF_OBSERVERS', 'EXTERNAL_SPECIALISTS_CHECKING'],
    priority: 1,
  },

  // ── Objectivity: conduct conditions of the last cycle ───────────────────────────────────────────
  {
    code: 'FLAGGED_WITHOUT_OBSERVERS',
    descriptionRu: 'Школа в зоне необъективности, а ВПР проводилась без независимых наблюдателей: наблюдатели из МОУО.',
    when: { zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.WATCH }, conduct: { noObservers: true } },
    measures: ['MOUO_STAFF_OBSERVERS', 'OBSERVERS_INDEPENDENT'],
    priority: 1,
  },
  {
    code: 'FLAGGED_WITHOUT_VIDEO_AT_CHECKING',
    descriptionRu:
      'Школа в зоне необъективности, а работы проверялись без видеонаблюдения: видеонаблюдение и коллегиальная проверка.',
    when: { zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.WATCH }, conduct: { noVideoAtChecking: true } },
    measures: ['VIDEO_AT_CHECKING', 'COLLEGIAL_CHECKING'],
    priority: 2,
  },

  // ── Objectivity: school marks higher than they should be, unexplained changes ──────────────────
  {
    code: 'JOURNAL_LOWERED_INTERNAL_ASSESSMENT',
    descriptionRu:
      'Много «понизили» (отметка ВПР ниже отметки по журналу): пересмотр ВСОКО и внутришкольного оценивания, обучение учителей критериальному оцениванию.',
    when: { anyMarkers: [MarkerCode.JOURNAL_LOWERED] },
    measures: [
      'INTERNAL_ASSESSMENT_REVIEW',
      'VSOKO_REGULATION_UPDATE',
      'CRITERIA_ASSESSMENT_TRAINING',
      'RESULTS_CAUSES_ANALYSIS',
    ],
    priority: 2,
  },
  // Version 2 of this rule (migration 20261222000100): only for a school in the objectivity zone. Results above the
  // region's or Russia's are context, never a reason by themselves; a strong school was sent «анализ причин» for them.
  {
    code: 'UNEXPLAINED_CHANGE_ANALYSIS',
    descriptionRu:
      'Школа в зоне наблюдения или риска по объективности, результаты резко изменились или выше региона/России: комплексный анализ результатов и возможных причин в ОО.',
    when: { anyMarkers: [MarkerCode.SHARP_CHANGE, MarkerCode.ABOVE_BENCHMARK], zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.WATCH } },
    measures: ['RESULTS_CAUSES_ANALYSIS'],
    priority: 3,
  },

  // ── Objectivity: by zone level and persistence ──────────────────────────────────────────────────
  {
    code: 'OBJECTIVITY_ZONE_WATCH',
    descriptionRu:
      'Школа в зоне наблюдения по объективности: разъяснительная работа с руководителями, педагогами, обучающимися и родителями, открытость информации.',
    when: { zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.WATCH } },
    measures: ['HEADS_EXPLANATORY_MEETINGS', 'TEACHERS_EXPLANATORY_WORK', 'STUDENTS_PARENTS_OBJECTIVITY_WORK', 'SITE_PUBLICATION'],
    priority: 3,
  },
  {
    code: 'OBJECTIVITY_ZONE_RISK',
    descriptionRu:
      'Школа в зоне риска по объективности: план мероприятий ОО, практикумы по преодолению рисков необъективности, критериальное оценивание, наставничество школы с объективными результатами.',
    when: { zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.RISK } },
    measures: [
      'SCHOOL_OBJECTIVITY_PLAN',
      'NON_OBJECTIVITY_RISK_PRACTICUMS',
      'CRITERIA_ASSESSMENT_TRAINING',
      'MENTORING_BY_OBJECTIVE_SCHOOL',
    ],
    priority: 2,
  },
  {
    code: 'OBJECTIVITY_THREE_YEARS',
    descriptionRu:
      'Признаки необъективности три года подряд (точка эскалации): личный контроль руководителя, Программа повышения объективности, персональный контроль педагогов, консультации для школ с признаками за 3 года, выездное совещание.',
    when: { zone: { kind: 'OBJECTIVITY', atLeast: ZoneLevel.WATCH }, minConsecutiveYears: 3 },
    measures: [
      'HEAD_PERSONAL_CONTROL',
      'OBJECTIVITY_PROGRAMME',
      'TEACHERS_PERSONAL_CONTROL_ROUTE',
      'FLAGGED_THREE_YEARS_CONSULTATIONS',
      'ONSITE_MEETING',
    ],
    priority: 1,
  },

  // ── Low results ─────────────────────────────────────────────────────────────────────────────────
  {
    code: 'LOW_RESULTS_METHODICAL_HELP',
    descriptionRu:
      'Низкие результаты: выявление проблемных зон и адресная методическая помощь, наставничество школы с объективными высокими результатами, план повышения квалификации, работа ШМО по «западающим» темам.',
    when: { anyMarkers: LOW_RESULTS_MARKERS },
    measures: [
      'PROBLEM_ZONES_TARGETED_HELP',
      'MENTORING_BY_OBJECTIVE_SCHOOL',
      'PROFESSIONAL_DEVELOPMENT_PLAN',
      'DIFFICULT_TOPICS_METHODICAL_WORK',
    ],
    priority: 2,
  },
  {
    // BELOW_BENCHMARK is about averages; these three count pupils who actually fail, who need support.
    code: 'LOW_RESULTS_STUDENT_SUPPORT',
    descriptionRu:
      'Обучающиеся с «2» или ниже минимума ГИА: «группа риска», психолого-педагогическое сопровождение, работа с родителями.',
    when: {
      anyMarkers: [MarkerCode.LOW_RESULTS_PERSISTENT, MarkerCode.GIA_BELOW_MINIMUM, MarkerCode.FAILS_RISING],
    },
    measures: ['RISK_GROUP_STUDENTS', 'STUDENTS_PSYCHOLOGICAL_SUPPORT', 'PARENTS_CONSULTATIONS'],
    priority: 2,
  },
  {
    code: 'LOW_RESULTS_HIGH_RISK',
    descriptionRu:
      'Высокий риск низких результатов: программа помощи учителям с профессиональными дефицитами, выездное совещание МОУО.',
    when: { zone: { kind: 'LOW_RESULTS', atLeast: ZoneLevel.HIGH_RISK } },
    measures: ['TEACHER_DEFICIT_HELP_PROGRAMME', 'ONSITE_MEETING'],
    priority: 2,
  },
  {
    code: 'LOW_RESULTS_THREE_YEARS',
    descriptionRu:
      'Низкие результаты три года подряд: программа помощи руководителю ОО, программа помощи учителям, выездное совещание МОУО.',
    when: { zone: { kind: 'LOW_RESULTS', atLeast: ZoneLevel.WATCH }, minConsecutiveYears: 3 },
    measures: ['HEADS_ASSISTANCE_PROGRAMME', 'TEACHER_DEFICIT_HELP_PROGRAMME', 'ONSITE_MEETING'],
    priority: 1,
  },
];
