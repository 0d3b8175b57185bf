import { ApiKey } from '../auth/api-key.entity';
import { AuditLogEntry } from '../auth/audit-log.entity';
import { Assessment } from '../assessments/assessment.entity';
import { BenchmarkResult } from '../assessments/benchmark-result.entity';
import { ConductConditions } from '../assessments/conduct-conditions.entity';
import { ParticipantResult } from '../assessments/participant-result.entity';
import { RecheckResult } from '../assessments/recheck-result.entity';
import { SchoolResult } from '../assessments/school-result.entity';
import { Subject } from '../assessments/subject.entity';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { SchoolAlias } from '../territory/school-alias.entity';
import { SchoolContext } from '../schools/school-context.entity';
import { School } from '../territory/school.entity';

/** Every entity, listed explicitly: no folder scanning, so ts-node, ts-jest and compiled code behave alike. */
export const ENTITIES = [
  Region,
  Municipality,
  School,
  SchoolAlias,
  SchoolContext,
  Subject,
  Assessment,
  ParticipantResult,
  SchoolResult,
  BenchmarkResult,
  ConductConditions,
  RecheckResult,
  ApiKey,
  AuditLogEntry,
];
