/** Which loader takes which kind of record: every layout lands in its table. */
import type { ImportRecordKind } from '../../parsing';
import { AssessmentScalesLoader } from './assessment-scales';
import { BenchmarksLoader } from './benchmarks';
import { ConductConditionsLoader } from './conduct-conditions';
import { ParticipantResultsLoader } from './participant-results';
import { RechecksLoader } from './rechecks';
import { SchoolAggregatesLoader } from './school-aggregates';
import { SchoolContextsLoader } from './school-contexts';
import { SchoolResultsLoader } from './school-results';
import { SchoolsLoader } from './schools';
import type { LoadContext, TargetLoader } from './target';

/** `parserScaleAssessmentId`: the assessment whose stored scale the parser already checked participant rows against. */
export function loaderFor(kind: ImportRecordKind, ctx: LoadContext, parserScaleAssessmentId: number | null): TargetLoader {
  switch (kind) {
    case 'participant-result':
      return new ParticipantResultsLoader(ctx, parserScaleAssessmentId);
    case 'school-marks':
    case 'school-score-distribution':
      return new SchoolAggregatesLoader(ctx);
    case 'school-result':
      return new SchoolResultsLoader(ctx);
    case 'school':
      return new SchoolsLoader(ctx);
    case 'school-context':
      return new SchoolContextsLoader(ctx);
    case 'conduct-conditions':
      return new ConductConditionsLoader(ctx);
    case 'recheck':
      return new RechecksLoader(ctx);
    case 'assessment-scale':
      return new AssessmentScalesLoader(ctx);
    case 'benchmark':
      return new BenchmarksLoader(ctx);
  }
}
