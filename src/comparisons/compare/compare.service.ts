import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { resolveSchoolCodes } from '../shared/school-codes';
import { selectRows } from '../../shared/sql';
import { MAX_COMPARED_SCHOOLS, type CompareSchoolsArgs } from './compare.args';
import { buildComparison } from './compare.builder';
import {
  comparedBenchmarksQuery, comparedExamTotalBenchmarksQuery, comparedExamTotalsQuery, comparedResultsQuery, type BenchmarkRow, type ComparedExamTotalRow, type ComparedResultRow,
  type ExamTotalBenchmarkRow,
} from './compare.sql';
import { SchoolComparisonType } from './compare.types';

/**
 * compareSchools: five statements whatever the number of schools — the codes resolved within the scope,
 * their results in the chosen years, the reference values of those assessments within the benchmark
 * scope, and likewise their totals over a procedure (school_exam_total) with those totals' references.
 * The statistics are pure functions (src/comparisons/stats).
 */
export class CompareService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async compare(args: CompareSchoolsArgs): Promise<SchoolComparisonType> {
    const schools = await resolveSchoolCodes(this.em, this.principal, args.schools, 'schools', MAX_COMPARED_SCHOOLS);
    const years = args.years?.length ? [...new Set(args.years)].sort((a, b) => a - b) : null;
    const results = await selectRows<ComparedResultRow>(this.em, comparedResultsQuery(this.principal, schools.map((s) => s.id), years, args.filter));
    const assessmentIds = [...new Set(results.map((r) => r.assessment_id))];
    const regionIds = [...new Set(schools.map((s) => s.regionId))];
    const municipalityIds = [...new Set(schools.map((s) => s.municipalityId))];
    const benchmarks = assessmentIds.length ? await selectRows<BenchmarkRow>(this.em, comparedBenchmarksQuery(this.principal, assessmentIds, regionIds, municipalityIds)) : [];
    // A school's totals over a procedure (no subject: ЕГЭ ≥ 220 over three subjects) and their references.
    const examTotals = await selectRows<ComparedExamTotalRow>(this.em, comparedExamTotalsQuery(this.principal, schools.map((s) => s.id), years, args.filter));
    const totalYears = [...new Set(examTotals.map((r) => r.year))];
    const totalBenchmarks = totalYears.length
      ? await selectRows<ExamTotalBenchmarkRow>(this.em, comparedExamTotalBenchmarksQuery(this.principal, totalYears, regionIds, municipalityIds))
      : [];
    return Object.assign(new SchoolComparisonType(), {
      years: years ?? [...new Set(results.map((r) => r.year))].sort((a, b) => a - b),
      confidence: args.confidence,
      schoolRows: buildComparison(schools, results, benchmarks, args.confidence, examTotals, totalBenchmarks),
    });
  }
}
