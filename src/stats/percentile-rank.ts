/**
 * Mid-rank percentile of `value` within `population`, in [0, 100]:
 * 100 · (count below + ½ · count equal) / size. Ties share one rank, so equal schools are never
 * told apart by the order of rows; the population normally includes the school itself.
 */
export function percentileRank(value: number, population: readonly number[]): number {
  if (population.length === 0) throw new RangeError('percentile rank of an empty population');
  let below = 0;
  let equal = 0;
  for (const x of population) {
    if (x < value) below++;
    else if (x === value) equal++;
  }
  return (100 * (below + equal / 2)) / population.length;
}
