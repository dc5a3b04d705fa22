// Every chart's spec is valid Vega-Lite, as the Vega-Lite project checks its own examples.

import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Chart } from '../../lib/charts/chart.ts';
import { emptyCharts } from './edge-cases.ts';
import { samples } from './samples.ts';

const schema = createRequire(import.meta.url)('vega-lite/vega-lite-schema.json');
// The schema uses union types and keywords ajv's strict mode rejects; formats are URIs only.
const validate = new Ajv({
  strict: false,
  allowUnionTypes: true,
  allErrors: true,
  validateFormats: false,
}).compile(schema);

function errorsOf(chart: Chart): string {
  return validate(JSON.parse(JSON.stringify(chart.spec)))
    ? ''
    : (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath} ${e.message}`)
        .join('\n');
}

describe('Vega-Lite schema', () => {
  it.each(samples().map((s) => [s.chart.id, s.chart] as const))('%s validates', (_, chart) => {
    expect(errorsOf(chart)).toBe('');
  });

  it('rejects what is not Vega-Lite', () => {
    const [sample] = samples();
    if (!sample) throw new Error('no samples');
    const broken = { ...sample.chart, spec: { ...sample.chart.spec, mark: 'pie-3d' } } as unknown as Chart;
    expect(errorsOf(broken)).not.toBe('');
  });

  it.each(emptyCharts().map((c) => [c.id, c] as const))('empty %s validates', (_, chart) => {
    expect(errorsOf(chart)).toBe('');
  });
});
