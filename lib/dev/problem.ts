// What went wrong in a preview run, said the way the overlay shows it: a kind, a message and
// the file and line to open. Pure: it reads the error's message and stack, nothing else.

import { PulseError } from '../errors.ts';
import { type DevRoots, shortPath } from './dev-roots.ts';

export type ProblemKind = 'sql' | 'template' | 'report' | 'data' | 'other';

export interface DevProblem {
  readonly kind: ProblemKind;
  /** "SQL error", "Template error", ... */
  readonly title: string;
  readonly message: string;
  /** Relative to the project when inside it. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The stack frames in the project, for an exception in a report cell. */
  readonly stack?: string;
}

const TITLES: Record<ProblemKind, string> = {
  sql: 'SQL error',
  template: 'Template error',
  report: 'Error in the report script',
  data: 'Data error',
  other: 'Error',
};

/** `phase`: whether the error came from running the report's cells or from rendering its HTML. */
export function describeProblem(
  error: unknown,
  roots: DevRoots,
  phase: 'run' | 'render' = 'run',
): DevProblem {
  const message = error instanceof Error ? error.message : String(error);
  const problem = (kind: ProblemKind, rest: Omit<DevProblem, 'kind' | 'title'>): DevProblem => ({
    kind,
    title: TITLES[kind],
    ...rest,
  });
  // Messages that start with their place: `queries/a/b.sql:14: ...`, `templates/x.hbs:3: ...`.
  const located = /^(.+?\.(sql|hbs|css))(?::(\d+))?: ([\s\S]*)$/.exec(message);
  if (located?.[1] && located[4] !== undefined) {
    const kind = located[2] === 'sql' ? 'sql' : 'template';
    return problem(kind, {
      message: located[4],
      file: shortPath(located[1], roots),
      ...(located[3] ? { line: Number(located[3]) } : {}),
    });
  }
  if (error instanceof PulseError && (error.code === 'data_invalid' || error.code === 'data_folder'))
    return problem('data', { message });
  // esbuild's syntax errors: "Transform failed with 1 error:\n/path/reports/x.ts:12:4: ERROR: ..."
  const syntax = /(\/\S+?\.[cm]?ts):(\d+):(\d+): ERROR: (.*)/.exec(message);
  if (syntax?.[1]) {
    return problem('report', {
      message: `syntax error: ${syntax[4]}`,
      file: shortPath(syntax[1], roots),
      line: Number(syntax[2]),
      column: Number(syntax[3]) + 1,
    });
  }
  const frames = projectFrames(error instanceof Error ? error.stack : undefined, roots);
  const isReport = (path: string) => roots.reportFolders.some((f) => path.startsWith(`${f.dir}/`));
  const frame = frames.find((f) => isReport(f.path)) ?? frames[0];
  const inReport = frame ? isReport(frame.path) : false;
  if (phase === 'render') return problem('template', { message, file: shortPath(roots.templatesDir, roots) });
  return problem(inReport ? 'report' : 'other', {
    message,
    ...(frame ? { file: shortPath(frame.path, roots), line: frame.line, column: frame.column } : {}),
    ...(frames.length > 0
      ? {
          stack: frames
            .map((f) => `at ${f.name} (${shortPath(f.path, roots)}:${f.line}:${f.column})`)
            .join('\n'),
        }
      : {}),
  });
}

interface Frame {
  readonly name: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** Stack frames in files of the project, not in node_modules or Node itself. */
export function projectFrames(stack: string | undefined, roots: DevRoots): Frame[] {
  const frames: Frame[] = [];
  for (const text of (stack ?? '').split('\n')) {
    const match = /^\s*at (?:(.*?) \()?(?:file:\/\/)?(\/[^():]+?)(?:\?[^:)]*)?:(\d+):(\d+)\)?$/.exec(text);
    if (!match?.[2]) continue;
    const path = decodeURIComponent(match[2]);
    if (path.includes('/node_modules/') || !path.startsWith(`${roots.root}/`)) continue;
    frames.push({ name: match[1] || '<anonymous>', path, line: Number(match[3]), column: Number(match[4]) });
  }
  return frames;
}
