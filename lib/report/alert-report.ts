// An alert as a report: its cells evaluate the condition on the period (per breakdown value with
// `by`) and, for the keys being announced, write what crossed which line: the value with its
// comparison, the trend, the decomposition from what changed and the breakdown that moved most.
// Running it through the report machinery gives the alert the reports' guarantees: coverage
// (a stale period is never evaluated), scope params, e-mail-safe HTML, PNG charts, plain text.

import { PulseError } from '../errors.ts';
import { escapeControlCharacters } from '../format/control-characters.ts';
import { type AlertRule, type AlertVerdict, evaluateAlert } from '../insights/alert-rule.ts';
import { type ComparedRow, wholeValue, yearAgo } from '../kpi/compare.ts';
import { MIN_SAMPLE, tooFewToJudge } from '../kpi/sample-size.ts';
import type { KpiSeries } from '../render/content.ts';
import { bars } from './cells/kpi-cells.ts';
import { trendChart } from './cells/kpi-charts.ts';
import { explainChanges } from './cells/what-changed.ts';
import type { ReportContext } from './context.ts';
import { defineReport, type ReportDefinition } from './define.ts';

/** One key's verdict: the whole KPI (key '') or one breakdown value. */
export interface AlertFinding {
  readonly key: string;
  /** "" for the whole KPI, "segment Enterprise" for a breakdown value. */
  readonly label: string;
  readonly value: number | null;
  readonly verdict: AlertVerdict;
  /** "Churn rate 2.4 % is above 2.0 % (October 2026)": the subject and first line. */
  readonly headline: string;
  /**
   * The headline and the verdict's reason, as `pulse alert test` and the alert's body say them:
   * "Close rate unknown (October 2026): it rests on 6 deals", the unknown said once.
   */
  readonly sentence: string;
}

export interface AlertReportOptions {
  /** The keys whose message this run writes; nothing shown for the others. Default: none. */
  readonly announce?: ReadonlySet<string>;
  /** For the keys announced: their condition stopped holding ("Cleared: Churn rate 1.8 % is not above 2.0 % ..."). */
  readonly cleared?: boolean;
  /** Called once the condition is evaluated, with every key's verdict. */
  readonly onEvaluated?: (findings: readonly AlertFinding[]) => void;
}

export function alertReport(
  name: string,
  rule: AlertRule,
  options: AlertReportOptions = {},
): ReportDefinition {
  return defineReport({
    // Its own output folder (out/alert-<name>/<period>/) and sent numbers.
    name: `alert-${name}`.slice(0, 64),
    title: `Alert ${name}`,
    grain: rule.grain,
    command: ['alert', 'test', name],
    async build(r) {
      const findings = await evaluate(r, rule);
      options.onEvaluated?.(findings);
      const shown = findings.filter((f) => options.announce?.has(f.key));
      if (shown.length === 0) {
        r.markdown(findings.map((f) => `${f.sentence}.`).join('\n\n'));
        return;
      }
      const lines = shown.map((f) => (options.cleared ? cleared(f) : f.headline));
      r.subject(lines.length === 1 ? (lines[0] ?? '') : `${lines[0]}, and ${lines.length - 1} more`);
      r.summary(lines.join('; '));
      const series = await r.kpi(rule.kpi, 13);
      // With `by`, the tiles and the trend are the announced values' own: the whole KPI's number
      // beside "Churn rate (segment SMB) is above 2 %" would read as the value that crossed.
      const own = rule.by ? await breakdownSeries(r, rule.kpi, rule.by, shown) : [];
      r.headline(own.length > 0 ? own : [series]);
      await r.section('Why', async () => {
        // The trend is the message's own chart: in the e-mail too, under the value.
        r.leadChart(trendChart(own[0] ?? series, { format: r.format }));
        const by = rule.by ?? series.kpi.breakdowns[0]?.name;
        // With `by` the alert is about one value; this explains how the whole moved, and says so.
        const whole = rule.by ? { title: `${series.kpi.title} (overall)` } : {};
        await explainChanges(
          r,
          [{ id: rule.kpi, ...(by ? { by } : {}), nouns: ratioNouns(series.kpi), ...whole }],
          // The alert crossed a line: how its KPI moved is worth showing, usual swing or not.
          { top: 1, minimumZ: 0, charts: false },
        );
        if (rule.by) await bars(r, rule.kpi, { by: rule.by });
      });
    },
  });
}

async function evaluate(r: ReportContext, rule: AlertRule): Promise<AlertFinding[]> {
  const series = await r.kpi(rule.kpi, 13);
  if (!series.available)
    throw new PulseError(
      'kpi_unavailable',
      `the alert's KPI ${rule.kpi} is not available on this data: it needs ${series.missing.join(', ')}`,
    );
  const { unit, direction, title } = series.kpi;
  const say = (value: number | null) => (value === null ? 'unknown' : r.format.value(value, unit));
  // `why` is the unknown reason given to the verdict: said alone after a headline that already
  // says the value is unknown, where the verdict's "unknown: why" would say it twice.
  const finding = (
    key: string,
    label: string,
    value: number | null,
    verdict: AlertVerdict,
    why: string,
  ): AlertFinding => {
    const who = label ? `${title} (${label})` : title;
    const what =
      rule.when === 'above' || rule.when === 'below'
        ? `is ${verdict.holds ? '' : 'not '}${rule.when} ${say(verdict.line)}`
        : rule.when === 'off_target'
          ? `is ${verdict.holds ? 'off' : 'on'} target (${say(verdict.line)})`
          : verdict.flat
            ? 'moved after periods that barely moved'
            : `moved ${verdict.swings === undefined ? 'an unknown' : `${r.format.fixed(verdict.swings, 1)}×`} its usual swing`;
    const headline =
      verdict.holds === null
        ? `${who} ${say(value)} (${r.periodLabel})`
        : `${who} ${say(value)} ${what} (${r.periodLabel})`;
    const sentence = `${headline}: ${value === null ? why : verdict.reason}`;
    return { key, label, value, verdict, headline, sentence };
  };
  if (!rule.by) {
    const current = series.current;
    const value = current ? judgeable(current) : null;
    const why = unknownWhy(current);
    const verdict = evaluateAlert(rule, {
      unit,
      direction,
      value,
      unknownReason: why,
      target: current?.target ?? null,
      history: series.history.map(wholeValue),
    });
    return [finding('', '', value, verdict, why)];
  }
  // For unusual, each value's own history: the trailing periods, broken down. A count or a sum
  // follows each value: a rep who won deals last period and none now won $0, the number a "below"
  // alert is for (a rate of no deals stays unknown: no row, no finding).
  const trailing = rule.when === 'unusual' ? 13 : 2;
  const table = await r.rows(rule.kpi, { by: rule.by, history: trailing, carryZeros: true });
  if (!table.available)
    throw new PulseError(
      'kpi_unavailable',
      `the alert's breakdown ${rule.kpi} by ${rule.by} is not available: it needs ${table.missing.join(', ')}`,
    );
  const by = table.by ?? rule.by;
  const keyOf = (row: ComparedRow) => breakdownKey(row, by);
  const periods = [...new Set(table.rows.map((row) => row.period_start))].sort();
  const current = table.rows.filter((row) => row.period_start === r.period.start);
  return current.map((row) => {
    const key = keyOf(row);
    // A group of a few (one deal of one is a 100 % close rate) is too small to judge: unknown.
    const few = tooFewToJudge(unit, row, ratioNouns(series.kpi).items);
    const value = few === null ? judgeable(row) : null;
    // Its earlier periods too: a swing measured against 0 of 4 deals is no usual swing.
    const own = new Map(
      table.rows
        .filter((o) => keyOf(o) === key)
        .map((o) => [
          o.period_start,
          tooFewToJudge(unit, o, ratioNouns(series.kpi).items) === null ? wholeValue(o) : null,
        ]),
    );
    const why =
      few !== null ? `it rests on ${few} (a group needs ${MIN_SAMPLE} before it is judged)` : unknownWhy(row);
    const verdict = evaluateAlert(rule, {
      unit,
      direction,
      value,
      unknownReason: why,
      target: row.target ?? null,
      history: periods.map((p) => own.get(p) ?? null),
    });
    // The key is the CRM's value: named on one line, its breaks shown (\n), not followed.
    return finding(key, `${rule.by} ${escapeControlCharacters(key)}`, value, verdict, why);
  });
}

/**
 * Why a row has no value to judge: its period outside the data, or too little of its input known
 * ("amount known for 20 of 40 deals created only"); "no data" only when there is no row.
 */
function unknownWhy(row: ComparedRow | undefined): string {
  if (row?.rejected_note !== undefined && row.coverage_note === undefined)
    return `computed ${row.rejected_note}`;
  return String(row?.coverage_note ?? row?.unknown_note ?? row?.comparison_note ?? 'no data for the period');
}

// A value computed without a material share of its rows (rejected-reads.ts) may be the rejects':
// no line is judged crossed on it, as no report with it is sent.
function judgeable(row: ComparedRow): number | null {
  return row.rejected_note === undefined ? wholeValue(row) : null;
}

function breakdownKey(row: ComparedRow, by: string): string {
  return row[by] === null || row[by] === undefined ? '(none)' : String(row[by]);
}

/** Each finding's breakdown value as a series of its own, titled "Churn rate (segment SMB)". */
async function breakdownSeries(
  r: ReportContext,
  kpi: string,
  by: string,
  findings: readonly AlertFinding[],
): Promise<KpiSeries[]> {
  // Back to the same period last year (52 weeks for weeks), for the comparison with it.
  const back = r.period.grain === 'week' ? 53 : 13;
  const table = await r.rows(kpi, { by, history: back, carryZeros: true });
  if (!table.available) return [];
  const column = table.by ?? by;
  return findings.map((f) => {
    const history = table.rows
      .filter((row) => breakdownKey(row, column) === f.key)
      .sort((a, b) => a.period_start.localeCompare(b.period_start));
    const at = history.findIndex((row) => row.period_start === r.period.start);
    const current = history[at];
    // "+8.3 pts vs Sep" from a September of 1 deal in 4 is no comparison: said as such, and so
    // for last year's month.
    const fewIn = (row: ComparedRow | undefined) =>
      row ? tooFewToJudge(table.kpi.unit, row, ratioNouns(table.kpi).items) : null;
    const few = fewIn(at > 0 ? history[at - 1] : undefined);
    const yearStart = current ? yearAgo(current.period_start, r.period.grain) : undefined;
    const fewYearAgo = fewIn(history.find((row) => row.period_start === yearStart));
    const compared = current && {
      ...current,
      ...(few !== null
        ? {
            previous_value: null,
            change: null,
            relative_change: null,
            change_is_good: null,
            comparison_note: `it rested on ${few}`,
          }
        : {}),
      ...(fewYearAgo !== null
        ? {
            year_ago_value: null,
            yoy_change: null,
            yoy_relative_change: null,
            yoy_is_good: null,
            yoy_note: `it rested on ${fewYearAgo}`,
          }
        : {}),
    };
    return {
      kpi: { ...table.kpi, title: `${table.kpi.title} (${f.label})` },
      available: true,
      current: compared,
      // The tile's and the trend's 13 periods, as for the whole KPI.
      history: history.filter((row) => row.period_start <= r.period.start).slice(-13),
    };
  });
}

function cleared(finding: AlertFinding): string {
  return `Cleared: ${finding.headline}`;
}

// What a ratio KPI counts, by the table it reads first: "a shift of customers toward SMB".
const ITEMS: Readonly<Record<string, string>> = {
  customers: 'customers',
  opportunities: 'deals',
  leads: 'leads',
  tickets: 'tickets',
  surveys: 'answers',
  orders: 'orders',
  subscriptions: 'subscriptions',
  users: 'users',
  activities: 'activities',
};

function ratioNouns(kpi: { title: string; needs: readonly string[] }) {
  const table = kpi.needs[0]?.split('.')[0] ?? '';
  return { rateNoun: kpi.title.replace(/\s*\(.*\)$/, '').toLowerCase(), items: ITEMS[table] ?? 'records' };
}
