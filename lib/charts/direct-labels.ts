// Direct labels at the end of lines, nudged apart so they never overlap. Positions are worked
// out in pixels from the fixed y domain and the plot height the chart will roughly have, then
// turned back into data values so Vega places them with the same scale as the lines.

export interface EndLabel {
  readonly value: number;
}

/**
 * The y value each label is drawn at: as close to its line's end as possible, at least `gap`
 * pixels from its neighbours, inside the domain.
 */
export function spreadLabels(
  labels: readonly EndLabel[],
  domain: readonly [number, number],
  plotHeight: number,
  gap = 15,
): number[] {
  const [lo, hi] = domain;
  const span = hi - lo || 1;
  const toPx = (v: number) => ((hi - v) / span) * plotHeight;
  const order = labels.map((l, i) => ({ i, px: toPx(l.value) })).sort((a, b) => a.px - b.px);
  // Push down from the top, then pull back up from the bottom if the last one fell out.
  for (let k = 1; k < order.length; k++) {
    const above = order[k - 1];
    const item = order[k];
    if (above && item && item.px < above.px + gap) item.px = above.px + gap;
  }
  const last = order.at(-1);
  if (last && last.px > plotHeight) {
    last.px = plotHeight;
    for (let k = order.length - 2; k >= 0; k--) {
      const below = order[k + 1];
      const item = order[k];
      if (below && item && item.px > below.px - gap) item.px = below.px - gap;
    }
  }
  const result = labels.map((l) => l.value);
  for (const { i, px } of order) result[i] = hi - (px / plotHeight) * span;
  return result;
}
