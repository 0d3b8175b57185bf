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

interface ItemModel {
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
  return fitTwoLevelShareColumns(
    {
      groupIds: observations.map((o) => o.groupId),
      itemKeys: observations.map((o) => o.itemKey),
      successes: observations.map((o) => o.successes),
      trials: observations.map((o) => o.trials),
    },
    minTrials,
  );
}

/** The observations as parallel columns (what a region recompute has at hand; no object per observation). */
export interface ShareColumns {
  groupIds: ArrayLike<ShareKey>;
  itemKeys: ArrayLike<ShareKey>;
  successes: ArrayLike<number>;
  trials: ArrayLike<number>;
}

/** `fitTwoLevelShares` on parallel columns. */
export function fitTwoLevelShareColumns(columns: ShareColumns, minTrials = 1): TwoLevelShareModel {
  const { groupIds, itemKeys, successes, trials } = columns;
  const n = groupIds.length;
  const bar = Math.max(1, minTrials);
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    if (trials[i] < bar) continue;
    if (!(Number.isInteger(successes[i]) && successes[i] >= 0 && successes[i] <= trials[i])) {
      throw new RangeError(`successes must be an integer in 0…${trials[i]}, got ${successes[i]}`);
    }
    used.push(i);
  }
  const byItem = new Map<ShareKey, number[]>();
  for (const i of used) (byItem.get(itemKeys[i]) ?? byItem.set(itemKeys[i], []).get(itemKeys[i])!).push(i);
  const items = new Map<ShareKey, ItemModel>();
  for (const [key, rows] of byItem) items.set(key, fitItem(rows, successes, trials));

  // Deviations from the item's level and their sampling variances, once.
  const r = new Float64Array(n);
  const v = new Float64Array(n);
  for (const i of used) {
    const item = items.get(itemKeys[i])!;
    r[i] = successes[i] / trials[i] - item.mean;
    v[i] = item.unitVariance / trials[i];
  }
  // τᵤ²: mean cross-product of two different items' deviations within a group (per group: Σr, Σr², count).
  const sums = new Map<ShareKey, { total: number; squares: number; count: number; weights: number; weighted: number }>();
  for (const i of used) {
    const g = sums.get(groupIds[i]) ?? sums.set(groupIds[i], { total: 0, squares: 0, count: 0, weights: 0, weighted: 0 }).get(groupIds[i])!;
    g.total += r[i];
    g.squares += r[i] * r[i];
    g.count++;
  }
  let crossProducts = 0;
  let pairs = 0;
  for (const g of sums.values()) {
    if (g.count < 2) continue;
    crossProducts += (g.total * g.total - g.squares) / 2;
    pairs += (g.count * (g.count - 1)) / 2;
  }
  const groupVariance = pairs > 0 ? Math.max(0, crossProducts / pairs) : 0;
  const itemTau2 = [...items.values()].filter((i) => i.groups >= 2).map((i) => i.tau2);
  const meanItemTau2 = itemTau2.length > 0 ? itemTau2.reduce((a, b) => a + b, 0) / itemTau2.length : 0;
  const itemVariance = Math.max(FLOOR, meanItemTau2 - groupVariance);

  for (const i of used) {
    const g = sums.get(groupIds[i])!;
    const w = 1 / (itemVariance + v[i]);
    g.weights += w;
    g.weighted += w * r[i];
  }
  const groups = new Map<ShareKey, { effect: number; precision: number; items: number }>();
  for (const [groupId, g] of sums) {
    const deviation = g.weighted / g.weights;
    const variance = 1 / g.weights;
    const effect = groupVariance > 0 ? (groupVariance / (groupVariance + variance)) * deviation : 0;
    groups.set(groupId, { effect, precision: g.weights, items: g.count });
  }
  return { items, groupVariance, itemVariance, groups, minTrials: bar };
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

function fitItem(rows: readonly number[], successes: ArrayLike<number>, trials: ArrayLike<number>): ItemModel {
  let s = 0;
  let n = 0;
  for (const i of rows) {
    s += successes[i];
    n += trials[i];
  }
  const pooled = s / n;
  const unitVariance = Math.max(pooled * (1 - pooled), FLOOR);
  if (rows.length < 2) return { mean: pooled, tau2: 0, unitVariance, groups: rows.length };
  // DerSimonian–Laird with the pooled sampling variance (a class with no «2» does not get zero variance).
  let sumW = 0;
  let sumW2 = 0;
  let sumWy = 0;
  for (const i of rows) {
    const w = trials[i] / unitVariance;
    sumW += w;
    sumW2 += w * w;
    sumWy += w * (successes[i] / trials[i]);
  }
  const fixedMean = sumWy / sumW;
  let q = 0;
  for (const i of rows) q += (trials[i] / unitVariance) * (successes[i] / trials[i] - fixedMean) ** 2;
  const tau2 = Math.max(0, (q - (rows.length - 1)) / (sumW - sumW2 / sumW));
  let rw = 0;
  let rwy = 0;
  for (const i of rows) {
    const w = 1 / (tau2 + unitVariance / trials[i]);
    rw += w;
    rwy += w * (successes[i] / trials[i]);
  }
  return { mean: rwy / rw, tau2, unitVariance, groups: rows.length };
}
