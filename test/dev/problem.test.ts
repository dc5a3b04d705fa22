import { describe, expect, it } from 'vitest';
import { buildDevRoots } from '../../lib/dev/dev-roots.ts';
import { describeProblem } from '../../lib/dev/problem.ts';
import { PulseError } from '../../lib/errors.ts';
import { TEMPLATES_DIR } from '../../lib/render/templates.ts';

const roots = buildDevRoots('/home/ann/crm', '/home/ann/crm/data/sample');

describe('describeProblem: what the overlay says and where', () => {
  it('takes the file and line from a KPI error and shows the path inside the project', () => {
    const error = new PulseError(
      'query',
      '/home/ann/crm/queries/customers/new_customers.sql:15: Parser Error: syntax error at or near "FROMM"\nLINE 15: FROMM periods',
    );
    expect(describeProblem(error, roots)).toEqual({
      kind: 'sql',
      title: 'SQL error',
      file: 'queries/customers/new_customers.sql',
      line: 15,
      message: 'Parser Error: syntax error at or near "FROMM"\nLINE 15: FROMM periods',
    });
  });

  it('names a template file and line', () => {
    const error = new PulseError(
      'usage',
      '/home/ann/crm/templates/partials/tile.hbs:14: Parse error on line 14:',
    );
    expect(describeProblem(error, roots)).toMatchObject({
      kind: 'template',
      file: 'templates/partials/tile.hbs',
      line: 14,
    });
  });

  it('points at the report cell from the stack, past frames in the library and node_modules', () => {
    const error = new Error('boom in a cell');
    error.stack = [
      'Error: boom in a cell',
      '    at buildBars (/home/ann/crm/lib/charts/bars.ts:40:11)',
      '    at Object.build (file:///home/ann/crm/reports/monthly.ts?v=1712.5:72:13)',
      '    at runPreview (/home/ann/crm/lib/dev/preview-run.ts:45:20)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at x (/home/ann/crm/node_modules/vega/build/vega.js:1:1)',
    ].join('\n');
    const problem = describeProblem(error, roots);
    expect(problem).toMatchObject({
      kind: 'report',
      title: 'Error in the report script',
      message: 'boom in a cell',
      file: 'reports/monthly.ts',
      line: 72,
      column: 13,
    });
    expect(problem.stack).toBe(
      [
        'at buildBars (lib/charts/bars.ts:40:11)',
        'at Object.build (reports/monthly.ts:72:13)',
        'at runPreview (lib/dev/preview-run.ts:45:20)',
      ].join('\n'),
    );
  });

  it("reads esbuild's syntax errors in a report script", () => {
    const error = new Error(
      'Transform failed with 1 error:\n/home/ann/crm/reports/monthly.ts:58:21: ERROR: Unexpected ";"',
    );
    expect(describeProblem(error, roots)).toMatchObject({
      kind: 'report',
      message: 'syntax error: Unexpected ";"',
      file: 'reports/monthly.ts',
      line: 58,
      column: 22,
    });
  });

  it('says data errors are about the data, and render errors about the templates', () => {
    expect(
      describeProblem(new PulseError('data_invalid', 'data/x: 2 kinds of contract errors'), roots).kind,
    ).toBe('data');
    expect(describeProblem(new Error('The partial nope could not be found'), roots, 'render')).toMatchObject({
      kind: 'template',
      // The project has no templates/ of its own: the built-in ones, shown in full.
      file: TEMPLATES_DIR,
    });
  });
});
