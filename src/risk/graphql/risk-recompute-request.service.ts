import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobGateway } from '../../jobs/job-gateway';
import { riskAlone } from '../../jobs/recompute-chain';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { Role } from '../../shared/role';
import { badInput } from '../../graphql/errors';
import type { JobTicketType } from '../../graphql/job.types';
import { findVisibleRegion } from '../../schools/region.service';
import { SchoolService } from '../../schools/school.service';
import type { RecomputeRiskInput } from './risk.types';

/** What a recompute of risk zones covers: listed schools, or whole regions (null: all). */
interface RiskRecomputeTargets {
  schoolIds: number[] | null;
  regionIds: number[] | null;
}

/**
 * A request to recompute risk zones: the schools, municipality or region it names, narrowed to the key's scope,
 * queued as one job and written to the audit log.
 */
export class RiskRecomputeRequestService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly jobs: JobGateway,
    private readonly remoteAddress: string | null,
  ) {}

  async request(input: RecomputeRiskInput): Promise<JobTicketType> {
    const { schoolIds, regionIds } = await this.targets(input);
    const request = riskAlone(schoolIds, regionIds, input.years?.length ? input.years : null, `mutation by ${this.principal.actor}`);
    const years = request.payload.years;
    const ticket = await this.jobs.enqueue({ ...request, requestedBy: this.principal.actor });
    await new AuditService(this.em, this.principal, this.remoteAddress).record({
      action: 'risk.recompute',
      target: ticket.id,
      details: { schools: schoolIds?.length ?? null, regions: regionIds, years },
    });
    return ticket;
  }

  private async targets(input: RecomputeRiskInput): Promise<RiskRecomputeTargets> {
    const schools = new SchoolService(this.em, this.principal);
    if (input.schools?.length) return { schoolIds: await schools.resolveKnownIds(input.schools), regionIds: null };
    if (input.municipalityCode) {
      const page = await schools.list({ municipalityCodes: [input.municipalityCode] }, 100_000);
      if (page.nodes.length === 0) throw badInput(`Муниципалитет "${input.municipalityCode}" не найден или в нём нет ОО`, 'input.municipalityCode');
      return { schoolIds: page.nodes.map((s) => s.id), regionIds: null };
    }
    if (input.regionCode) {
      const region = await findVisibleRegion(this.em, this.principal, input.regionCode, 'input.regionCode');
      // A whole region is recomputed as a region only by those whose scope is the region; others get their schools in it.
      if (this.principal.role === Role.ADMIN || this.principal.role === Role.REGIONAL_IMPORTER) return { schoolIds: null, regionIds: [region.id] };
      return { schoolIds: await schools.idsInScope(), regionIds: null };
    }
    return { schoolIds: this.principal.role === Role.ADMIN ? null : await schools.idsInScope(), regionIds: null };
  }
}
