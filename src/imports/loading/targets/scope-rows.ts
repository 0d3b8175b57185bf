/**
 * Rows staged per (year, school, assessment): the scope a participant import replaces, and how much of it is
 * left once rows rejected after staging are taken out. Counted per row, so keyed by numbers rather than by a
 * string built for every row.
 */
export type ScopePair = [year: number, schoolId: number, assessmentId: number];

/** Rows of one (year, school, assessment); callers may keep it and count on it directly. */
export interface ScopeCounter {
  rows: number;
}

interface AssessmentScope {
  year: number;
  rowsBySchool: Map<number, ScopeCounter>;
}

export class ScopeRows {
  private readonly byAssessment = new Map<number, AssessmentScope>();
  /** Rows come in runs of one assessment: the last one's map is kept at hand. */
  private lastAssessmentId = -1;
  private last: AssessmentScope | null = null;

  counter(year: number, schoolId: number, assessmentId: number): ScopeCounter {
    const scope = this.scopeOf(year, assessmentId);
    let counter = scope.rowsBySchool.get(schoolId);
    if (counter === undefined) {
      counter = { rows: 0 };
      scope.rowsBySchool.set(schoolId, counter);
    }
    return counter;
  }

  remove(year: number, schoolId: number, assessmentId: number): void {
    const counter = this.scopeOf(year, assessmentId).rowsBySchool.get(schoolId);
    if (counter !== undefined) counter.rows--;
  }

  rows(year: number, schoolId: number, assessmentId: number): number {
    const scope = this.byAssessment.get(assessmentId);
    return scope !== undefined && scope.year === year ? (scope.rowsBySchool.get(schoolId)?.rows ?? 0) : 0;
  }

  /** The pairs with rows left, as (year, school, assessment). */
  pairs(): ScopePair[] {
    const pairs: ScopePair[] = [];
    for (const [assessmentId, scope] of this.byAssessment) {
      for (const [schoolId, counter] of scope.rowsBySchool) if (counter.rows > 0) pairs.push([scope.year, schoolId, assessmentId]);
    }
    return pairs;
  }

  private scopeOf(year: number, assessmentId: number): AssessmentScope {
    if (assessmentId === this.lastAssessmentId && this.last !== null) return this.last;
    let scope = this.byAssessment.get(assessmentId);
    if (scope === undefined) {
      scope = { year, rowsBySchool: new Map() };
      this.byAssessment.set(assessmentId, scope);
    }
    this.lastAssessmentId = assessmentId;
    this.last = scope;
    return scope;
  }
}
