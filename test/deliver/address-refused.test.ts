// Which refusals are about the address (fix it in schedules.json) and which are policy or the
// message (the next run may pass): an alert stops retrying only for the first.

import { describe, expect, it } from 'vitest';
import { classifySmtpFailure, isAddressRefused } from '../../lib/deliver/smtp-failure.ts';

const refusal = (responseCode: number, response: string, command = 'RCPT TO') =>
  classifySmtpFailure({ responseCode, response, command });

describe('an address refused for good', () => {
  it('is a 5.1.x (or a bare 550/551/553) to RCPT TO', () => {
    expect(isAddressRefused(refusal(550, '550 5.1.1 <a@example.com>: no such user'))).toBe(true);
    expect(isAddressRefused(refusal(553, '553 mailbox name not allowed'))).toBe(true);
  });

  it('is not a policy refusal, a refusal of the message, or a try-later', () => {
    expect(isAddressRefused(refusal(550, '550 5.7.1 Relaying denied'))).toBe(false);
    expect(isAddressRefused(refusal(554, '554 5.6.0 message content rejected', 'DATA'))).toBe(false);
    expect(isAddressRefused(refusal(450, '450 4.2.1 mailbox busy'))).toBe(false);
    expect(isAddressRefused(refusal(554, '554 transaction failed'))).toBe(false);
  });
});
