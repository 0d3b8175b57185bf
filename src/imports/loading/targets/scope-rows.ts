/**
 * Rows staged per (year, school, assessment): the scope a participant import replaces, and how much of it is
 * left once rows rejected after staging are taken out. Counted per row, so keyed by numbers rather than by a
 * string built for every row.
 */
export type ScopePair = [year: number, schoolId: number, assessmentId: number];

interface AssessmentScope {
  year: number;
  rowsBySchool: Map<number, number>;
}

export class ScopeRows {
  private readonly byAssessment = new Map<number, AssessmentScope>();
  /** Rows come in runs of one assessment: the last one's map is kept at hand. */
  private lastAssessmentId = -1;
  private last: AssessmentScope | null = null;

  add(year: number, schoolId: number, assessmentId: number): void {
    const scope = this.scopeOf(year, assessmentId);
    scope.rowsBySchool.set(schoolId, (scope.rowsBySchool.get(schoolId) ?? 0) + 1);
  }

  remove(year: number, schoolId: number, assessmentId: number): void {
    const scope = this.scopeOf(year, assessmentId);
    const rows = scope.rowsBySchool.get(schoolId);
    if (rows !== undefined) scope.rowsBySchool.set(schoolId, rows - 1);
  }

  rows(year: number, schoolId: number, assessmentId: number): number {
    const scope = this.byAssessment.get(assessmentId);
    return scope !== undefined && scope.year === year ? (scope.rowsBySchool.get(schoolId) ?? 0) : 0;
  }

  /** The pairs with rows left, as (year, school, assessment). */
  pairs(): ScopePair[] {
    const pairs: ScopePair[] = [];
    for (const [assessmentId, scope] of this.byAssessment) {
      for (const [schoolId, rows] of scope.rowsBySchool) if (rows > 0) pairs.push([scope.year, schoolId, assessmentId]);
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
