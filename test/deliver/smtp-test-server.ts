// A real SMTP server on a loopback port with fault injection, for delivery tests.

import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { keepCapturedOutput } from '../support/sentinel.ts';

export interface Reply {
  readonly code: number;
  readonly message: string;
}

export interface Faults {
  /** A reply for RCPT TO (count = RCPT commands for this address so far, from 1); undefined accepts. */
  readonly rcpt?: (address: string, count: number) => Reply | undefined;
  /**
   * Called when a message is complete, before the 250; a Reply refuses it; may wait, e.g. for
   * `clientGone` (the client closed this connection) to answer only after the client gave up.
   */
  readonly data?: (
    recipients: readonly string[],
    count: number,
    clientGone: Promise<void>,
  ) => Reply | undefined | Promise<Reply | undefined>;
  /** Called right after the 250 was sent for a message. */
  readonly accepted?: (recipients: readonly string[], count: number) => void;
  /** Credentials check (only when the client logs in): false refuses with 535, a Reply with it. */
  readonly auth?: (user: string, password: string) => boolean | Reply;
}

export interface Delivered {
  readonly recipients: readonly string[];
  readonly raw: Buffer;
}

export interface TestSmtp {
  readonly port: number;
  readonly delivered: Delivered[];
  readonly counts: { rcpt: number; auth: number; data: number };
  /** Messages delivered to an address. */
  to(address: string): Delivered[];
  parse(delivered: Delivered): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtp(faults: Faults = {}): Promise<TestSmtp> {
  const delivered: Delivered[] = [];
  const counts = { rcpt: 0, auth: 0, data: 0 };
  const perAddress = new Map<string, number>();
  const gone = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const goneOf = (id: string) => {
    let entry = gone.get(id);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      entry = { promise, resolve };
      gone.set(id, entry);
    }
    return entry;
  };
  const fail = (reply: Reply) => Object.assign(new Error(reply.message), { responseCode: reply.code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      counts.auth += 1;
      const ok = faults.auth ? faults.auth(auth.username ?? '', auth.password ?? '') : true;
      if (ok === false)
        return callback(fail({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
      if (ok !== true) return callback(fail(ok));
      callback(null, { user: auth.username });
    },
    onClose(session) {
      goneOf(session.id).resolve();
    },
    onRcptTo(address, _session, callback) {
      counts.rcpt += 1;
      const n = (perAddress.get(address.address) ?? 0) + 1;
      perAddress.set(address.address, n);
      const reply = faults.rcpt?.(address.address, n);
      if (reply) return callback(fail(reply));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        counts.data += 1;
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const clientGone = goneOf(session.id).promise;
        void Promise.resolve(faults.data?.(recipients, counts.data, clientGone)).then((reply) => {
          if (reply) return callback(fail(reply));
          delivered.push({ recipients, raw: Buffer.concat(chunks) });
          void keepCapturedOutput('smtp-received', Buffer.concat(chunks)); // for the sentinel check
          callback(null, `2.0.0 Ok: queued as TEST${counts.data}`);
          faults.accepted?.(recipients, delivered.length);
        });
      });
    },
  });
  // A client killed mid-transaction resets its socket: expected here, not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    delivered,
    counts,
    to: (addr) => delivered.filter((d) => d.recipients.includes(addr)),
    parse: (d) => simpleParser(d.raw, { keepCidLinks: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
