// The civil date of an instant in a time zone: the day a person there calls "today"; and the
// instant as a person there reads a clock.

/** The civil date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timezone: string): string {
  const parts = dateFormatter(timezone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "2026-11-01 07:00 Europe/Berlin" for people: the civil date and time, the zone named. */
export function formatLocal(instant: Date, timezone: string): string {
  return `${localDate(instant, timezone)} ${timeFormatter(timezone).format(instant)} ${timezone}`;
}

// Intl formatters are slow to build and the daemon asks for the same zones again and again.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(timezone: string): Intl.DateTimeFormat {
  let found = formatters.get(timezone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timezone, found);
  }
  return found;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();
function timeFormatter(timezone: string): Intl.DateTimeFormat {
  let found = timeFormatters.get(timezone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormatters.set(timezone, found);
  }
  return found;
}
