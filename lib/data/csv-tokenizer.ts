// A byte-level CSV record splitter (RFC 4180 with DuckDB's reading of it): it finds where each
// record starts and ends, on which physical line, how many fields it has and whether it is
// well formed. DuckDB parses the fields; this only gives every record an exact line number and
// decides which records are malformed, so that no line of a file is ever unaccounted for.

export type RecordError =
  | 'too_many_fields'
  | 'too_few_fields'
  | 'unterminated_quote'
  | 'text_after_quote'
  | 'invalid_encoding'
  | 'line_too_long';

export interface RecordInfo {
  /** 0 for the header, then 1, 2, ... for the non-blank records after it. */
  readonly seq: number;
  /** Physical line the record starts on (1-based). */
  readonly line: number;
  /** Physical lines it spans (more than 1 when a quoted field holds a line break). */
  readonly lines: number;
  readonly fields: number;
  readonly error: RecordError | undefined;
  /** The 1-based field the error is in, when it is in one. */
  readonly errorField: number | undefined;
  /**
   * The first field holding a control character other than tab, CR and LF (NUL, ESC, DEL, a
   * C1 control in UTF-8): the record is read, but the value deserves a warning.
   */
  readonly controlField: number | undefined;
}

export interface TokenizerHooks {
  readonly onStart?: (seq: number) => void;
  /** The record's own bytes (without its line break), possibly in several pieces. */
  readonly onBytes?: (chunk: Uint8Array, from: number, to: number) => void;
  /** `head` holds the record's first bytes (all of the header's). */
  readonly onEnd: (info: RecordInfo, head: Uint8Array) => void;
}

/** Longer records are malformed: nobody exports a 1 MB CRM row on purpose. */
export const MAX_RECORD_BYTES = 1_000_000;
/** Enough bytes for 200 characters of any UTF-8 text. */
const HEAD_BYTES = 800;

const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const DEL = 0x7f;

enum State {
  Between,
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export interface TokenizerOptions {
  /** One ASCII character. */
  readonly delimiter: string;
  readonly encoding: 'utf-8' | 'latin-1';
}

export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly checkUtf8: boolean;
  private state = State.Between;
  private line = 1;
  private lastWasCr = false;
  private lastByte = -1;
  private atFileStart = true;
  private seq = -1;
  // The record being read.
  private startLine = 0;
  private fields = 0;
  /** Bytes of the record in earlier chunks. */
  private earlierBytes = 0;
  private error: RecordError | undefined;
  private errorField: number | undefined;
  private controlField: number | undefined;
  /** A UTF-8 lead byte 0xC2 was read: a continuation byte up to 0x9F makes a C1 control. */
  private afterC2 = false;
  /** The record's first bytes from earlier chunks (a record rarely spans two). */
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  // UTF-8 validation: continuation bytes still expected and the range of the next one.
  private need = 0;
  private low = 0x80;
  private high = 0xbf;

  constructor(
    options: TokenizerOptions,
    private readonly hooks: TokenizerHooks,
  ) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.checkUtf8 = options.encoding === 'utf-8';
  }

  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    const delimiter = this.delimiter;
    let i = 0;
    if (this.atFileStart) {
      this.atFileStart = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    let start = this.state === State.Between ? -1 : i;
    while (i < n) {
      // Plain bytes inside a field need no decision: skip them in a tight loop.
      if (this.need === 0) {
        if (this.state === State.Unquoted) {
          while (i < n) {
            const b = chunk[i] as number;
            if (b === delimiter || b < 0x20 || b >= DEL) break;
            i++;
          }
        } else if (this.state === State.Quoted) {
          while (i < n) {
            const b = chunk[i] as number;
            if (b === QUOTE || b < 0x20 || b >= DEL) break;
            i++;
          }
        }
        if (i === n) break;
      }
      const byte = chunk[i] as number;
      if (byte === LF || byte === CR) {
        const secondOfCrLf = byte === LF && this.lastWasCr;
        this.lastWasCr = byte === CR;
        if (!secondOfCrLf) this.line++;
        if (this.state === State.Between) {
          i++;
          continue;
        }
        if (this.state !== State.Quoted) {
          this.finish(chunk, start, i, true);
          start = -1;
          i++;
          continue;
        }
        // A line break inside a quoted field is part of the value.
        if (this.need > 0) this.checkByte(byte);
        i++;
        continue;
      }
      this.lastWasCr = false;
      if (this.state === State.Between) {
        this.begin();
        start = i;
      }
      if ((byte < 0x20 && byte !== TAB && byte !== delimiter) || byte === DEL)
        this.controlField ??= this.fields;
      if (this.checkUtf8 && (byte >= 0x80 || this.need > 0)) this.checkByte(byte);
      switch (this.state) {
        case State.FieldStart:
          if (byte === QUOTE) this.state = State.Quoted;
          else if (byte === delimiter) this.fields++;
          else this.state = State.Unquoted;
          break;
        case State.Unquoted:
          if (byte === delimiter) {
            this.fields++;
            this.state = State.FieldStart;
          }
          break;
        case State.Quoted:
          if (byte === QUOTE) this.state = State.QuoteInQuoted;
          break;
        case State.QuoteInQuoted:
          if (byte === QUOTE) this.state = State.Quoted;
          else if (byte === delimiter) {
            this.fields++;
            this.state = State.FieldStart;
          } else {
            this.fail('text_after_quote');
            this.state = State.Unquoted;
          }
          break;
      }
      i++;
    }
    if (n > 0) this.lastByte = chunk[n - 1] as number;
    if (this.state !== State.Between && start >= 0) {
      this.hooks.onBytes?.(chunk, start, n);
      this.earlierBytes += n - start;
      const limit = this.headLimit() - this.carryLength;
      if (limit > 0) {
        const kept = chunk.slice(start, Math.min(n, start + limit));
        this.carry.push(kept);
        this.carryLength += kept.length;
      }
    }
  }

  /** Ends the last record at the end of the file. */
  end(): void {
    if (this.state === State.Between) return;
    if (this.state === State.Quoted) this.fail('unterminated_quote');
    // A quoted field left open may end with a line break: the file has no line after it.
    this.finish(new Uint8Array(0), 0, 0, this.lastByte === LF || this.lastByte === CR);
  }

  private headLimit(): number {
    return this.seq === 0 ? MAX_RECORD_BYTES : HEAD_BYTES;
  }

  private begin(): void {
    this.seq++;
    this.state = State.FieldStart;
    this.startLine = this.line;
    this.fields = 1;
    this.earlierBytes = 0;
    this.error = undefined;
    this.errorField = undefined;
    this.controlField = undefined;
    this.afterC2 = false;
    this.carry = [];
    this.carryLength = 0;
    this.need = 0;
    this.hooks.onStart?.(this.seq);
  }

  /** The record ends at `end` in `chunk` (its bytes there start at `start`, or at 0). */
  private finish(chunk: Uint8Array, start: number, end: number, atLineBreak: boolean): void {
    const from = Math.max(start, 0);
    if (end > from) this.hooks.onBytes?.(chunk, from, end);
    if (this.need > 0) this.fail('invalid_encoding');
    if (this.earlierBytes + end - from > MAX_RECORD_BYTES) {
      this.error = 'line_too_long';
      this.errorField = undefined;
    }
    const limit = this.headLimit();
    let head: Uint8Array;
    if (this.carryLength === 0) head = chunk.subarray(from, Math.min(end, from + limit));
    else {
      head = new Uint8Array(Math.min(limit, this.carryLength + end - from));
      let at = 0;
      for (const part of this.carry) {
        head.set(part, at);
        at += part.length;
      }
      head.set(chunk.subarray(from, from + head.length - at), at);
    }
    // A line break has already been counted when it ends the record.
    const lines = this.line - this.startLine + (atLineBreak ? 0 : 1);
    this.state = State.Between;
    this.hooks.onEnd(
      {
        seq: this.seq,
        line: this.startLine,
        lines,
        fields: this.fields,
        error: this.error,
        errorField: this.errorField,
        controlField: this.controlField,
      },
      head,
    );
  }

  private fail(error: RecordError): void {
    if (this.error !== undefined) return;
    this.error = error;
    this.errorField = this.fields;
  }

  // The well-formed UTF-8 table of the Unicode standard (no overlongs, no surrogates).
  private checkByte(byte: number): void {
    if (this.need > 0) {
      if (byte < this.low || byte > this.high) {
        this.fail('invalid_encoding');
        this.need = 0;
        return;
      }
      if (this.afterC2 && byte <= 0x9f) this.controlField ??= this.fields;
      this.afterC2 = false;
      this.need--;
      this.low = 0x80;
      this.high = 0xbf;
      return;
    }
    this.afterC2 = byte === 0xc2;
    if (byte >= 0xc2 && byte <= 0xdf) this.expect(1, 0x80, 0xbf);
    else if (byte === 0xe0) this.expect(2, 0xa0, 0xbf);
    else if (byte === 0xed) this.expect(2, 0x80, 0x9f);
    else if (byte >= 0xe1 && byte <= 0xef) this.expect(2, 0x80, 0xbf);
    else if (byte === 0xf0) this.expect(3, 0x90, 0xbf);
    else if (byte >= 0xf1 && byte <= 0xf3) this.expect(3, 0x80, 0xbf);
    else if (byte === 0xf4) this.expect(3, 0x80, 0x8f);
    else this.fail('invalid_encoding');
  }

  private expect(need: number, low: number, high: number): void {
    this.need = need;
    this.low = low;
    this.high = high;
  }
}

/** The fields of one record's text (the header), unquoted. */
export function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
      atStart = true;
      continue;
    } else if (char === '"' && atStart) quoted = true;
    else field += char;
    atStart = false;
  }
  fields.push(field);
  return fields;
}
