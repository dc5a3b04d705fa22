import { PulseError } from '../errors.ts';

/**
 * A runtime failure of delivery or scheduling (exit code 1): the ledger is busy, the mail server
 * refused. lib/errors.ts has no code of its own for these yet; `query` carries exit code 1.
 */
export class DeliveryError extends PulseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('query', message, options);
    this.name = 'DeliveryError';
  }
}
