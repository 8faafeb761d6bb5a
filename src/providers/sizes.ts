// Size helpers shared by adapters whose upstream only offers a fixed set of sizes or ratios:
// pick the upstream choice nearest to the exact pixel size we promised; the worker then
// centre-crops and resizes to that size.

/** The upstream choice whose ratio is nearest to width/height (exact when there is one). */
export function nearestByRatio(choices: readonly string[], width: number, height: number, sep: string): string {
  const want = Math.log(width / height);
  let best = choices[0]!;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const [w, h] = choice.split(sep).map(Number) as [number, number];
    const distance = Math.abs(Math.log(w / h) - want);
    if (distance < bestDistance - 1e-9) [best, bestDistance] = [choice, distance];
  }
  return best;
}
