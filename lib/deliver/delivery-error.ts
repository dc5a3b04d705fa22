import { PulseError } from '../errors.ts';

/** A runtime failure of delivery or scheduling (exit code 1): the ledger is busy, the mail server refused. */
export class DeliveryError extends PulseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery', message, options);
    this.name = 'DeliveryError';
  }
}
