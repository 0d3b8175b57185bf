import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import { regionScope } from '../auth/scope';
import { badInput } from '../graphql/errors';
import { Region } from '../territory/region.entity';

/** The region with this code when the principal may see it; otherwise a bad-input error on `field`. */
export async function findVisibleRegion(em: EntityManager, principal: Principal, code: string, field: string): Promise<Region> {
  const region = await em.findOne(Region, { $and: [{ code }, regionScope(principal)] });
  if (!region) throw badInput(`Регион с кодом "${code}" не найден`, field);
  return region;
}
