import type { SchoolTypeCode } from '../stats';
import { sqlFragment, type SqlFragment } from '../../shared/sql';

/** A school of the region with its context in the assessment's year and its result in the assessment. */
export interface ContextRow {
  school_id: number;
  municipality_id: number;
  type: SchoolTypeCode;
  urban: boolean;
  in_depth_study: boolean;
  enrolment: number | null;
  share_disabled: number | null;
  social_index: number | null;
  participants: number | null;
  mean_percent: number | null;
  count2: number | null;
  count3: number | null;
  count4: number | null;
  count5: number | null;
  mean_test_score: number | null;
  journal_lowered: number | null;
  journal_confirmed: number | null;
  journal_raised: number | null;
  below_minimum: number | null;
  count_test_80: number | null;
  count_test_100: number | null;
}

/**
 * Schools of a region that took part in an assessment (plus `alwaysSchoolId`, even without a result), with
 * the latest context not after the year (the school's own type and locality when no context was loaded).
 * `scope` decides whose rows may be read: the region statistics scope for the model, the school scope for
 * peers.
 */
export function contextRowsQuery(scope: SqlFragment, regionId: number, assessmentId: number, year: number, alwaysSchoolId: number | null): SqlFragment {
  return sqlFragment(
    `select s.id as school_id, s.municipality_id, coalesce(c.type, s.type) as type, coalesce(c.urban, s.urban) as urban,
            coalesce(c.in_depth_study, false) as in_depth_study, c.enrolment, c.share_disabled, c.social_index,
            sr.participants, sr.mean_percent, sr.count2, sr.count3, sr.count4, sr.count5, sr.mean_test_score,
            sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.below_minimum, sr.count_test_80, sr.count_test_100
     from school s
     left join lateral (
       select c.type, c.urban, c.in_depth_study, c.enrolment, c.share_disabled, c.social_index
       from school_context c where c.school_id = s.id and c.year <= ? order by c.year desc limit 1
     ) c on true
     left join school_result sr on sr.school_id = s.id and sr.assessment_id = ?
     where s.region_id = ? and (sr.id is not null or s.id = ?) and (${scope.sql})
     order by s.id`,
    [year, assessmentId, regionId, alwaysSchoolId ?? 0, ...scope.bindings],
  );
}

export function toContextInput(row: ContextRow) {
  return {
    schoolId: String(row.school_id),
    type: row.type,
    urban: row.urban,
    inDepthStudy: row.in_depth_study,
    enrolment: row.enrolment,
    shareDisabled: row.share_disabled,
    socialIndex: row.social_index,
  };
}
