// Control characters from the data never reach a terminal raw: a NUL or DEL is invisible, an ESC
// starts a sequence that can recolour, move the cursor or retitle the window, and a CR can
// overwrite a line. They are shown escaped, as JSON writes them (`\u0000`). Pure.

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SHORT: Readonly<Record<number, string>> = { [TAB]: '\\t', [LF]: '\\n', [CR]: '\\r' };

/** C0 controls, DEL and C1 controls (U+0080 to U+009F). */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** What `pulse check` flags in a value: a control character other than tab, CR and LF. */
export function isFlaggedControl(code: number): boolean {
  return isControl(code) && code !== TAB && code !== LF && code !== CR;
}

function escapeWhere(text: string, escapes: (code: number) => boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!escapes(code)) continue;
    out += text.slice(from, i) + (SHORT[code] ?? `\\u${code.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One value on one line (a table cell): every control character escaped, tab and LF included. */
export function escapeControlCharacters(value: string): string {
  return escapeWhere(value, isControl);
}

/**
 * Text for a terminal (a message, a listing, JSON): the flagged control characters escaped, and
 * CR, which the CLI never writes as layout, so a value holding one (a file name "notes\rerror:
 * ...") cannot overwrite what its line showed; tabs and line feeds are the text's own layout.
 * JSON stays JSON with the same values: only DEL and C1 controls can be raw in it, always inside
 * strings, where `\u007f` is a valid escape of the same character.
 */
export function terminalSafe(text: string): string {
  return escapeWhere(text, (code) => isFlaggedControl(code) || code === CR || isBidiControl(code));
}

/**
 * Marks that reorder how a line reads (U+202E turns "fdp.exe" around): a value holding one could
 * make a terminal line say what it does not. Valid in JSON as `\u202e`, so escaped there too.
 */
function isBidiControl(code: number): boolean {
  return code === 0x061c || code === 0x200e || code === 0x200f || isBidiOverride(code);
}

/** Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reverse whole runs. */
function isBidiOverride(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/**
 * Text for a page, an e-mail or a chart: the marks that reverse a run of text shown escaped
 * (`\u202e`), so a rep or campaign named with one cannot make a label, a sentence or a subject
 * read as something else ("Acme\u202eredrO" reads "AcmeOrder"). The weak marks right-to-left
 * names need (U+200E, U+200F, U+061C) reverse nothing of the text around them and stay.
 */
export function showBidiOverrides(text: string): string {
  return escapeWhere(text, isBidiOverride);
}
