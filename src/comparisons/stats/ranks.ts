/**
 * Mid-ranks (1-based): tied values share the mean of the ranks they occupy, e.g. [10, 20, 20, 30] →
 * [1, 2.5, 2.5, 4]. Spearman's ρ is Pearson's r of these ranks, which handles ties correctly.
 */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i].index] = rank;
    start = end + 1;
  }
  return ranks;
}
