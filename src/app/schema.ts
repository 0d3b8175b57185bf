import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/authorization';
import { AuthResolver } from '../auth/auth.resolver';
import { MunicipalityPlanResolver, PlanResolver, SchoolPlanResolver } from '../recommendations/plans/plan.resolver';
import { RiskIndicatorResolver, RiskResolver, RiskZoneResolver, SchoolRiskResolver } from '../risk/graphql/risk.resolver';
import { AggregateResolver } from '../assessments/aggregate.resolver';
import { AssessmentResolver } from '../assessments/assessment.resolver';
import { BenchmarkResolver } from '../assessments/benchmark.resolver';
import { ConductConditionsResolver, RecheckResultResolver } from '../assessments/conduct.resolver';
import { SchoolResultResolver } from '../assessments/school-result.resolver';
import { SchoolAssessmentsResolver } from '../assessments/school-assessments.resolver';
import { MunicipalityResolver } from '../schools/municipality.resolver';
import { RegionResolver } from '../schools/region.resolver';
import { SchoolResolver } from '../schools/school.resolver';
import { TerritoryResolver } from '../schools/admin/territory.resolver';
import { JobResolver } from '../graphql/job.resolver';
import { ImportResolver } from '../imports/graphql/import.resolver';
import { ImportProfileResolver } from '../imports/profiles/import-profile.graphql';
import { SchoolMatchingResolver } from '../imports/matching/school-matching.graphql';
import { SchoolExamTotalResolver } from '../assessments/exam-totals.graphql';
import { COMPARISON_RESOLVERS } from '../comparisons/resolvers';

// The schema is composed here, in the composition root, because it lists every feature's resolvers: the features
// import the GraphQL plumbing in src/graphql, so a list of them there would make each feature and src/graphql import each other.

const RESOLVERS: NonEmptyArray<Function> = [
  RegionResolver,
  MunicipalityResolver,
  SchoolResolver,
  SchoolAssessmentsResolver,
  TerritoryResolver,
  AssessmentResolver,
  SchoolResultResolver,
  BenchmarkResolver,
  ConductConditionsResolver,
  RecheckResultResolver,
  AggregateResolver,
  JobResolver,
  AuthResolver,
  SchoolRiskResolver,
  RiskZoneResolver,
  RiskIndicatorResolver,
  RiskResolver,
  SchoolPlanResolver,
  MunicipalityPlanResolver,
  PlanResolver,
  ...COMPARISON_RESOLVERS,
  ImportResolver,
  ImportProfileResolver,
  SchoolMatchingResolver,
  SchoolExamTotalResolver,
];

export function buildHubSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, authChecker, validate: { forbidUnknownValues: false }, emitSchemaFile: false });
}

/** The SDL as committed in schema/schema.graphql: sorted, so the file changes only when the API does. */
export function printHubSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
