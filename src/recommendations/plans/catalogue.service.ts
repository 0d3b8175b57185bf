import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../../auth/audit.service';
import type { Principal } from '../../shared/principal';
import { badInput } from '../../graphql/errors';
import type { Measure } from '../catalogue/measure';
import { validateCatalogueAndRules } from '../rules/validate';
import { insertCatalogueMeasure, loadCatalogue, loadRules } from './catalogue.repository';
import type { CatalogueMeasureInput } from './catalogue.types';

/** Administrators extend the measure catalogue; a new measure passes the same validator as catalogue v1. */
export class CatalogueService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly remoteAddress: string | null,
  ) {}

  async addMeasure(input: CatalogueMeasureInput): Promise<Measure> {
    const knex = this.em.getKnex();
    const measure = { ...input, sources: input.sources.map((s) => ({ seed: s.seed, item: s.item, quote: s.quote })), namedInMunicipalPlan: false } as unknown as Measure;
    // Only what concerns the new measure: the stored catalogue's own issues are not this request's fault.
    const issues = validateCatalogueAndRules([...(await loadCatalogue(knex, true)), measure], await loadRules(knex)).filter(
      (issue) => issue.subject === input.code || issue.code.startsWith('DUPLICATE'),
    );
    if (issues.length) throw badInput(issues.map((i) => i.messageRu).join('; '), 'input');
    await insertCatalogueMeasure(knex, measure, this.principal.actor);
    await new AuditService(this.em, this.principal, this.remoteAddress).record({ action: 'catalogue.add', target: `measure:${input.code}` });
    return measure;
  }
}
