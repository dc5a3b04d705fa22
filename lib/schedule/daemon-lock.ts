// One daemon per state folder: two would both resume the same crashed run.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryError } from '../deliver/delivery-error.ts';

/** Takes .pulse/schedule.pid; a file left by a process that no longer exists is taken over. */
export function acquireDaemonLock(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, 'schedule.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DeliveryError(
          `pulse schedule is already running for ${stateDir} (pid ${pid}); stop it first (kill ${pid}) or use another PULSE_STATE_DIR`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DeliveryError(`cannot take ${path}; remove it if no pulse schedule is running`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
