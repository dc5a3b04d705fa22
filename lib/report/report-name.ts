// A report's name: its file is reports/<name>.ts and its outputs out/<name>/<period>/, so the
// name is a plain, file-safe word. One rule for defineReport, loading a report by name, the
// schedules and the dev server. (Which reports there are: listReports in load-report.ts.)

export const REPORT_NAME = /^[a-z0-9_-]{1,64}$/;

/** Lower-case letters, digits, - or _, 1 to 64 of them. */
export function isReportName(name: string): boolean {
  return REPORT_NAME.test(name);
}
