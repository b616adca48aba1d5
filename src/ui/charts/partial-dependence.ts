/** Which levels of a categorical partial-dependence chart are drawn. */

/** Most bars a categorical partial-dependence chart draws. */
export const MAX_LEVEL_BARS = 12;

/**
 * Indices of the levels to draw: all of them, in their own order, when there are at most `max`;
 * otherwise the max/2 with the highest and the max/2 with the lowest values, highest first (the
 * spread of effects, not an arbitrary slice of, say, 50 passenger names).
 */
export function shownLevels(values: readonly number[], max = MAX_LEVEL_BARS): number[] {
  const all = values.map((_, i) => i);
  if (values.length <= max) return all;
  const byValue = all.sort((a, b) => values[b] - values[a] || a - b);
  const top = Math.ceil(max / 2);
  return [...byValue.slice(0, top), ...byValue.slice(byValue.length - (max - top))];
}
