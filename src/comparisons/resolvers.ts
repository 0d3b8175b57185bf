import { AssessmentCorrelationsResolver, BiResolver } from './bi/bi.resolver';
import { CohortResolver } from './cohorts/cohort.resolver';
import { ComparedAssessmentResolver, ComparedSchoolResolver, CompareResolver, ComparisonYearResolver } from './compare/compare.resolver';
import { ContextModelResolver, ContextResolver, PeerGroupResolver, PeerSchoolResolver, SchoolExpectationResolver } from './context/context.resolver';

/** The resolvers of comparisons and BI analytics, appended to the hub's RESOLVERS. */
export const COMPARISON_RESOLVERS: Function[] = [
  CompareResolver,
  ComparedSchoolResolver,
  ComparedAssessmentResolver,
  ComparisonYearResolver,
  ContextResolver,
  ContextModelResolver,
  SchoolExpectationResolver,
  PeerGroupResolver,
  PeerSchoolResolver,
  CohortResolver,
  BiResolver,
  AssessmentCorrelationsResolver,
];
