// One division of a scaled dataset, in its own process (see scaled.ts):
//   node --import tsx tools/generate-sample/division-worker.ts '<DivisionJob as JSON>'

import { type DivisionJob, runDivision } from './scaled.ts';

const job = JSON.parse(process.argv[2] ?? '') as DivisionJob;
runDivision(job)
  .then((rows) => process.stdout.write(`${JSON.stringify({ index: job.index, rows })}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
