// The one place a report's currency and locale live: built once from PULSE_CURRENCY and
// PULSE_LOCALE (or a caller's options), carried by the report context as `r.format`, by the
// finished document, and handed to every table, chart and sentence, so none names its own.

import { PulseError } from '../errors.ts';
import type { Unit } from './units.ts';
import {
  DEFAULT_LOCALE,
  type FormatOptions,
  formatChange,
  formatExtra,
  formatFixed,
  formatKpiValue,
  formatNumber,
} from './values.ts';

export const DEFAULT_CURRENCY = 'USD';

/** A currency and a locale, with the formatting functions bound to them. */
export interface Formatter extends FormatOptions {
  readonly locale: string;
  /** A KPI value in its unit: `$1,234`, `28.4 %`, `3.5 days`. */
  value(value: unknown, unit: Unit): string;
  /** An extra column, by what its name says it holds. */
  extra(name: string, value: unknown, kpiUnit: Unit): string;
  /** `+3.1 %`, `−2.0 pts`. */
  change(change: number | null, relative: number | null, unit: Unit): string;
  /** A count: `1,234`. */
  number(n: number): string;
  /** A plain decimal with `digits` places: `8.5` (multipliers, z-scores). */
  fixed(n: number, digits: number): string;
}

export function createFormatter(options: Partial<FormatOptions> = {}): Formatter {
  const settings = {
    currency: options.currency ?? DEFAULT_CURRENCY,
    locale: options.locale ?? DEFAULT_LOCALE,
  };
  return {
    ...settings,
    value: (value, unit) => formatKpiValue(value, unit, settings),
    extra: (name, value, kpiUnit) => formatExtra(name, value, kpiUnit, settings),
    change: (change, relative, unit) => formatChange(change, relative, unit, settings),
    number: (n) => formatNumber(n, settings.locale),
    fixed: (n, digits) => formatFixed(n, digits, settings.locale),
  };
}

/** Just the settings, for JSON and for code that takes FormatOptions. */
export function formatSettings(format: FormatOptions): Required<FormatOptions> {
  return { currency: format.currency, locale: format.locale ?? DEFAULT_LOCALE };
}

/**
 * PULSE_CURRENCY and PULSE_LOCALE, checked: a typo would otherwise throw deep inside a render
 * (an unknown currency) or fall back to another locale without a word (an unknown locale).
 */
export function formatOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Required<FormatOptions> {
  const currency = (env.PULSE_CURRENCY ?? DEFAULT_CURRENCY).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !Intl.supportedValuesOf('currency').includes(currency)) {
    throw new PulseError(
      'usage',
      `PULSE_CURRENCY "${env.PULSE_CURRENCY}" is not an ISO 4217 currency code, e.g. USD, EUR, GBP`,
    );
  }
  const locale = (env.PULSE_LOCALE ?? DEFAULT_LOCALE).trim();
  let supported: string[] = [];
  try {
    supported = Intl.NumberFormat.supportedLocalesOf([locale]);
  } catch {
    // A malformed tag throws; it is refused below like an unknown one.
  }
  if (supported.length === 0) {
    throw new PulseError(
      'usage',
      `PULSE_LOCALE "${env.PULSE_LOCALE}" is not a locale this Node knows, e.g. en-US, de-DE, fr-FR`,
    );
  }
  return { currency, locale: supported[0] ?? locale };
}
