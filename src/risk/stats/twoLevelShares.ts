/**
 * Two-level empirical-Bayes shrinkage of shares (e.g. the share of «2») observed for schools × procedures
 * in one year — the "shrink small-N estimates" the domain brief asks for, done so that it helps rather than
 * hides small schools that really are low.
 *
 * Model (share scale, normal approximation): the observed share of school s in procedure a is
 *   pₛₐ = μₐ + uₛ + eₛₐ + sampling error,  uₛ ~ N(0, τᵤ²),  eₛₐ ~ N(0, σₑ²),  error variance p̄ₐ(1 − p̄ₐ)/nₛₐ.
 * μₐ is the region's level in procedure a (random-effects mean); uₛ is what the school's results have in
 * common across its procedures (the school is weak or strong); eₛₐ is what is particular to one class.
 * A class of 6 with three «2» tells little on its own, but a school whose every class of 6 has three «2»
 * is low: the posterior mean of μₐ + uₛ + eₛₐ pulls a procedure towards the *school's* pooled level, and
 * that pooled level towards the region, each by how much its data can say.
 *
 * Variance components by the method of moments: τₐ² = μₐ's between-school variance (DerSimonian–Laird per
 * procedure) estimates τᵤ² + σₑ²; τᵤ² is the mean cross-product of two different procedures' deviations of
 * the same school (sampling errors of different classes are independent, so it is unbiased); σₑ² is the
 * rest. Posterior means are the standard BLUPs of the nested model: ûₛ = τᵤ²/(τᵤ² + Vₛ)·D̂ₛ with D̂ₛ the
 * precision-weighted mean deviation (weights 1/(σₑ² + vₛₐ)), then êₛₐ = σₑ²/(σₑ² + vₛₐ)·(rₛₐ − ûₛ).
 */

/** Keys of groups and items: any value a Map tells apart (ids as numbers avoid building strings). */
export type ShareKey = string | number;

export interface ShareObservation {
  /** The school (or any upper-level unit). */
  groupId: ShareKey;
  /** The procedure (or any item the school is observed in). */
  itemKey: ShareKey;
  successes: number;
  trials: number;
}

export interface ItemModel {
  /** Random-effects mean share of the item across groups. */
  mean: number;
  /** Between-group variance of the item's true share (τₐ²). */
  tau2: number;
  /** p̄(1 − p̄) of the pooled share: the sampling variance of one trial. */
  unitVariance: number;
  groups: number;
}

export interface TwoLevelShareModel {
  items: Map<ShareKey, ItemModel>;
  /** Variance of the group (school) effect, τᵤ². */
  groupVariance: number;
  /** Variance of the item-specific (class) effect within a group, σₑ². */
  itemVariance: number;
  /** Posterior mean of each group's effect ûₛ and its data precision. */
  groups: Map<ShareKey, { effect: number; precision: number; items: number }>;
  minTrials: number;
}

const FLOOR = 1e-6;

/** Fits the model on every observation with at least `minTrials` trials. */
export function fitTwoLevelShares(observations: readonly ShareObservation[], minTrials = 1): TwoLevelShareModel {
  const used = observations.filter((o) => o.trials >= Math.max(1, minTrials));
  for (const o of used) {
    if (!(Number.isInteger(o.successes) && o.successes >= 0 && o.successes <= o.trials)) {
      throw new RangeError(`successes must be an integer in 0…${o.trials}, got ${o.successes}`);
    }
  }
  const byItem = new Map<ShareKey, ShareObservation[]>();
  for (const o of used) (byItem.get(o.itemKey) ?? byItem.set(o.itemKey, []).get(o.itemKey)!).push(o);
  const items = new Map<ShareKey, ItemModel>();
  for (const [key, list] of byItem) items.set(key, fitItem(list));

  // τᵤ²: mean cross-product of two different items' deviations within a group.
  const byGroup = new Map<ShareKey, { r: number; v: number }[]>();
  for (const o of used) {
    const item = items.get(o.itemKey)!;
    (byGroup.get(o.groupId) ?? byGroup.set(o.groupId, []).get(o.groupId)!).push({ r: o.successes / o.trials - item.mean, v: item.unitVariance / o.trials });
  }
  let crossProducts = 0;
  let pairs = 0;
  for (const list of byGroup.values()) {
    if (list.length < 2) continue;
    let total = 0;
    let squares = 0;
    for (const { r } of list) {
      total += r;
      squares += r * r;
    }
    crossProducts += (total * total - squares) / 2;
    pairs += (list.length * (list.length - 1)) / 2;
  }
  const groupVariance = pairs > 0 ? Math.max(0, crossProducts / pairs) : 0;
  const itemTau2 = [...items.values()].filter((i) => i.groups >= 2).map((i) => i.tau2);
  const meanItemTau2 = itemTau2.length > 0 ? itemTau2.reduce((a, b) => a + b, 0) / itemTau2.length : 0;
  const itemVariance = Math.max(FLOOR, meanItemTau2 - groupVariance);

  const groups = new Map<ShareKey, { effect: number; precision: number; items: number }>();
  for (const [groupId, list] of byGroup) {
    let weights = 0;
    let weighted = 0;
    for (const { r, v } of list) {
      const w = 1 / (itemVariance + v);
      weights += w;
      weighted += w * r;
    }
    const deviation = weighted / weights;
    const variance = 1 / weights;
    const effect = groupVariance > 0 ? (groupVariance / (groupVariance + variance)) * deviation : 0;
    groups.set(groupId, { effect, precision: weights, items: list.length });
  }
  return { items, groupVariance, itemVariance, groups, minTrials: Math.max(1, minTrials) };
}

/**
 * Posterior mean of a group's true share in an item. Null when the item is not in the model or the
 * observation has fewer trials than the model was fitted with (it is then not judged at all).
 */
export function shrunkenShare(model: TwoLevelShareModel, groupId: ShareKey, itemKey: ShareKey, successes: number, trials: number): number | null {
  const item = model.items.get(itemKey);
  if (!item || trials < model.minTrials) return null;
  const effect = model.groups.get(groupId)?.effect ?? 0;
  const v = item.unitVariance / trials;
  const r = successes / trials - item.mean;
  const own = (model.itemVariance / (model.itemVariance + v)) * (r - effect);
  return Math.min(1, Math.max(0, item.mean + effect + own));
}

function fitItem(list: readonly ShareObservation[]): ItemModel {
  const successes = list.reduce((a, o) => a + o.successes, 0);
  const trials = list.reduce((a, o) => a + o.trials, 0);
  const pooled = successes / trials;
  const unitVariance = Math.max(pooled * (1 - pooled), FLOOR);
  if (list.length < 2) return { mean: pooled, tau2: 0, unitVariance, groups: list.length };
  // DerSimonian–Laird with the pooled sampling variance (a class with no «2» does not get zero variance).
  let sumW = 0;
  let sumW2 = 0;
  let sumWy = 0;
  for (const o of list) {
    const w = o.trials / unitVariance;
    sumW += w;
    sumW2 += w * w;
    sumWy += w * (o.successes / o.trials);
  }
  const fixedMean = sumWy / sumW;
  let q = 0;
  for (const o of list) q += (o.trials / unitVariance) * (o.successes / o.trials - fixedMean) ** 2;
  const tau2 = Math.max(0, (q - (list.length - 1)) / (sumW - sumW2 / sumW));
  let rw = 0;
  let rwy = 0;
  for (const o of list) {
    const w = 1 / (tau2 + unitVariance / o.trials);
    rw += w;
    rwy += w * (o.successes / o.trials);
  }
  return { mean: rwy / rw, tau2, unitVariance, groups: list.length };
}
