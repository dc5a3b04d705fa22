import { DEFAULT_MAX_SEND_REJECT_SHARE, parseShare } from '../data/rejects.ts';
import type { DataReadOptions } from '../deliver/render-report.ts';
import type { CommonOptions } from './options.ts';

/** How sends read the data, from the command line and the environment (read once). */
export function dataReadOptions(
  options: Pick<CommonOptions, 'mapping' | 'allowRejects' | 'maxRejectShare'> &
    Partial<Pick<CommonOptions, 'engine' | 'project'>>,
  env: Readonly<Record<string, string | undefined>>,
): DataReadOptions {
  const limit = env.PULSE_MAX_SEND_REJECT_SHARE;
  return {
    ...(options.mapping ? { mapping: options.mapping } : {}),
    allowRejects: options.allowRejects,
    maxRejectShare: options.maxRejectShare,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.project ? { queryFolders: options.project.queries } : {}),
    maxSendRejectShare: limit
      ? parseShare(limit, 'PULSE_MAX_SEND_REJECT_SHARE')
      : DEFAULT_MAX_SEND_REJECT_SHARE,
  };
}
