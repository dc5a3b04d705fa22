// Keeps the console output of tests (and of the code they run) for the sentinel check: the global
// setup's teardown scans it with everything else the tests wrote.

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter } from 'vitest/node';
import { outputRoot } from './sentinel.ts';

export default class SentinelReporter implements Reporter {
  onUserConsoleLog(log: Parameters<NonNullable<Reporter['onUserConsoleLog']>>[0]): void {
    const root = outputRoot();
    if (root) appendFileSync(join(root, 'console.log'), `${log.content}\n`);
  }
}
