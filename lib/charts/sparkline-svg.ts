// A sparkline drawn without Vega. It is a polyline and a dot, but a full Vega-Lite → Vega → SVG
// pipeline costs 10–30 ms each and a report draws ~30 of them, a third of its render time.
// This writes the same markup Vega writes for the spec buildSparkline makes, byte for byte
// (test/charts/sparkline-svg.test.ts compares the two), so HTML and PNGs are unchanged.
// Only the geometry is computed here; it follows vega-scale (point x, linear y), d3-shape (path
// with 3 decimals, a break at each missing value) and vega's `fit` autosize (one layout pass at
// the spec's size, margins rounded up), which is why a few numbers look oddly specific.

export interface SparklineDrawing {
  /** The whole picture in CSS px, padding included. */
  readonly width: number;
  readonly height: number;
  readonly padding: number;
  /** One value per period, oldest first; null where there is none (the line breaks there). */
  readonly values: readonly (number | null)[];
  /** Index of the value marked with a dot: the latest known one. */
  readonly marked: number;
  readonly line: { readonly color: string; readonly width: number };
  /** Area in px², as Vega's symbol size. */
  readonly marker: { readonly color: string; readonly size: number };
  readonly background: string;
}

/** The SVG document Vega would draw (without the title and ARIA label renderSvg adds). */
export function sparklineSvg(d: SparklineDrawing): string {
  const inner = { width: d.width - 2 * d.padding, height: d.height - 2 * d.padding };
  // Vega lays out once at the spec's size, then shrinks the plot by the overhang it found.
  const probe = geometry(d, d.width, d.height);
  const halfStroke = d.line.width / 2; // round caps and joins: half the stroke on every side
  const radius = Math.sqrt(d.marker.size) / 2;
  let [x1, y1, x2, y2] = [0, 0, d.width, d.height];
  for (const p of probe.points) {
    if (p.y === null) continue;
    [x1, y1] = [Math.min(x1, p.x - halfStroke), Math.min(y1, p.y - halfStroke)];
    [x2, y2] = [Math.max(x2, p.x + halfStroke), Math.max(y2, p.y + halfStroke)];
  }
  const dot = probe.points[d.marked];
  if (dot?.y != null) {
    [x1, y1] = [Math.min(x1, dot.x - radius), Math.min(y1, dot.y - radius)];
    [x2, y2] = [Math.max(x2, dot.x + radius), Math.max(y2, dot.y + radius)];
  }
  const left = Math.max(0, Math.ceil(-x1));
  const top = Math.max(0, Math.ceil(-y1));
  const right = Math.max(0, Math.ceil(x2 - d.width));
  const bottom = Math.max(0, Math.ceil(y2 - d.height));
  const w = Math.max(0, inner.width - left - right);
  const h = Math.max(0, inner.height - top - bottom);

  const { points } = geometry(d, w, h);
  const mark = points[d.marked];
  const symbol =
    mark?.y == null
      ? ''
      : `<path aria-hidden="true" transform="translate(${mark.x},${mark.y})" d="${circlePath(radius)}" ` +
        `fill="${d.marker.color}" stroke-width="2" opacity="1"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" class="marks" ` +
    `width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}">` +
    `<rect width="${d.width}" height="${d.height}" fill="${d.background}"/>` +
    `<g fill="none" stroke-miterlimit="4" transform="translate(${d.padding + left},${d.padding + top})">` +
    '<g class="mark-group role-frame root" role="graphics-object" aria-roledescription="group mark container">' +
    `<g transform="translate(0,0)"><path class="background" aria-hidden="true" d="M0,0h${w}v${h}h${-w}Z"/><g>` +
    '<g class="mark-line role-mark layer_0_marks" aria-hidden="true">' +
    `<path aria-hidden="true" d="${linePath(points)}" stroke="${d.line.color}" stroke-width="${d.line.width}" ` +
    'stroke-linecap="round" stroke-linejoin="round"/></g>' +
    // Vega writes an empty group (no dot: the latest value unknown) as a self-closing tag.
    `<g class="mark-symbol role-mark layer_1_marks" aria-hidden="true"${symbol ? `>${symbol}</g>` : '/>'}</g>` +
    '<path class="foreground" aria-hidden="true" d="" display="none"/></g></g></g></svg>'
  );
}

interface Point {
  readonly x: number;
  /** null: no value, a gap in the line. */
  readonly y: number | null;
}

/** Positions in a plot of w × h, with Vega's arithmetic (the rounding of the margins depends on it). */
function geometry(d: SparklineDrawing, w: number, h: number): { points: Point[] } {
  const n = d.values.length;
  // vega-scale `point` with padding 0: n - 1 steps across the width, one value centred.
  const step = w / (n - 1 > 0 ? n - 1 : 1);
  const start = (w - step * (n - 1)) * 0.5;
  const known = d.values.filter((v): v is number => v !== null);
  const min = Math.min(...known);
  const span = Math.max(...known) - min;
  // d3 linear scale onto [h, 0]; a flat series sits in the middle.
  const y = (v: number) => {
    const t = span ? (v - min) / span : 0.5;
    return h * (1 - t);
  };
  return { points: d.values.map((v, i) => ({ x: start + step * i, y: v === null ? null : y(v) })) };
}

/** d3-shape's line: 3 decimals, a new subpath after each gap, a lone point closed with Z. */
function linePath(points: readonly Point[]): string {
  let path = '';
  let run = 0;
  for (const p of points) {
    if (p.y === null) {
      if (run === 1) path += 'Z';
      run = 0;
      continue;
    }
    path += `${run === 0 ? 'M' : 'L'}${round3(p.x)},${round3(p.y)}`;
    run++;
  }
  if (run === 1) path += 'Z';
  return path;
}

function circlePath(r: number): string {
  const [a, b] = [round3(r), round3(-r)];
  return `M${a},0A${a},${a},0,1,1,${b},0A${a},${a},0,1,1,${a},0`;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
