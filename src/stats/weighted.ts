/** Weighted mean and variance with non-negative weights. */

export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  const totalWeight = checkedTotalWeight(values, weights);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * weights[i];
  return sum / totalWeight;
}

/**
 * Weighted variance Σ wᵢ (xᵢ − x̄_w)² / Σ wᵢ (the "population" form). With frequency weights
 * (counts) multiply by W / (W − 1) for the unbiased sample variance — see `frequencyWeightedVariance`.
 */
export function weightedVariance(values: readonly number[], weights: readonly number[]): number {
  const totalWeight = checkedTotalWeight(values, weights);
  const mean = weightedMean(values, weights);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += weights[i] * (values[i] - mean) ** 2;
  return sum / totalWeight;
}

/** Unbiased sample variance when weights are frequencies (e.g. a histogram of scores). */
export function frequencyWeightedVariance(values: readonly number[], counts: readonly number[]): number {
  const total = checkedTotalWeight(values, counts);
  if (total <= 1) throw new RangeError('frequency-weighted variance needs a total count above 1');
  return (weightedVariance(values, counts) * total) / (total - 1);
}

function checkedTotalWeight(values: readonly number[], weights: readonly number[]): number {
  if (values.length !== weights.length) {
    throw new RangeError(`values (${values.length}) and weights (${weights.length}) differ in length`);
  }
  let total = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new RangeError(`weights must be non-negative, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new RangeError('weights sum to zero');
  return total;
}
