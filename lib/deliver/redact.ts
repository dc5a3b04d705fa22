// Keeps the SMTP password out of text: errors, log lines, ledger rows, alerts. A library or a
// server may quote it in any spelling: raw, percent-encoded, JSON-escaped, quoted-printable, or
// inside base64 (AUTH PLAIN sends base64("\0user\0password"), AUTH LOGIN base64("password"),
// and some servers echo the argument in their 535 reply).

const MASK = '***';
/** Shorter passwords would mask ordinary words; they are still never written on purpose. */
const MIN_LENGTH = 3;
/** A run of base64 or base64url characters long enough to carry a password. */
const BASE64_TOKEN = /[A-Za-z0-9+/_-]{4,}={0,2}/g;

/** The spellings of `password` that a message could quote. */
export function passwordSpellings(password: string): string[] {
  const encoded = encodeURIComponent(password);
  const userinfo = new URL('smtp://u@h');
  userinfo.password = password;
  const spellings = [
    password,
    encoded,
    encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    userinfo.password,
    JSON.stringify(password).slice(1, -1),
    password.replace(/=/g, '=3D'),
  ];
  // Longest first, so a spelling that contains another is masked whole.
  return [...new Set(spellings)].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
}

/** Replaces the password of any URL, and every spelling of `password`, with ***. */
export function redactSecrets(text: string, password?: string): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@\s]*@/gi, `$1${MASK}@`);
  if (!password || password.length < MIN_LENGTH) return out;
  for (const spelling of passwordSpellings(password)) out = out.split(spelling).join(MASK);
  return out.replace(BASE64_TOKEN, (token) => (decodesToSecret(token, password) ? MASK : token));
}

/** Whether a base64 token (whole or from any of its 4-character boundaries) holds the password. */
function decodesToSecret(token: string, password: string): boolean {
  if (token.length < Math.ceil((password.length * 4) / 3)) return false;
  for (let start = 0; start < 4; start++) {
    const part = token.slice(start);
    for (const encoding of ['base64', 'base64url'] as const) {
      if (Buffer.from(part, encoding).toString('latin1').includes(Buffer.from(password).toString('latin1')))
        return true;
    }
  }
  return false;
}
