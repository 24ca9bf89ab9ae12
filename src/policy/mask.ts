/**
 * The one masking function every finding's message and fix go through (the engine applies it): whatever a
 * rule quotes — a git URL, a Jinja expression, a line of a config — leaves with no character of a secret
 * (URL credentials, query-string tokens, Jinja `env_var` defaults, well-known token shapes), and control
 * characters (from file names, say) escaped. Every scan here is linear in the text.
 */
import { TOKEN_SHAPES } from './formats/token-shapes.js';

export const HIDDEN = '***';

/** `scheme://` occurrences: the scheme is bounded, so the scan stays linear. */
const SCHEME = /\b[a-z][a-z0-9+.-]{0,31}:\/\//gi;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,20}(?::\d{1,5})?(?=[/?#'"\s`,;)\]}>]|$)/;
const URL_END = /[\s'"`<>]/;
const MAX_URL = 4096;

export interface UrlCredential {
  /** Index of the user-info in the text, and its end (the `@` before the host). */
  start: number;
  end: number;
  userinfo: string;
}

/**
 * User-info of URLs (`scheme://user:password@host`), found by hand so that passwords holding `@`, `/` or
 * `!` (`postgres://admin:P@ssw0rd!X@db/x`) are whole: the last `@` followed by a host name wins when the
 * part before the first `/` reads `user:…`.
 */
export function urlCredentials(text: string): UrlCredential[] {
  const out: UrlCredential[] = [];
  SCHEME.lastIndex = 0;
  let m: RegExpExecArray | null;
  let from = 0;
  while ((m = SCHEME.exec(text))) {
    const start = m.index + m[0].length;
    if (start < from) continue;
    let end = start;
    const limit = Math.min(text.length, start + MAX_URL);
    while (end < limit && !URL_END.test(text[end]!)) end++;
    const token = text.slice(start, end);
    const firstSlash = token.search(/[/?#]/);
    const authorityEnd = firstSlash < 0 ? token.length : firstSlash;
    const looksLikeUserPassword = token.slice(0, authorityEnd).includes(':');
    let at = -1;
    for (let i = token.lastIndexOf('@'); i >= 0; i = i === 0 ? -1 : token.lastIndexOf('@', i - 1)) {
      if ((i < authorityEnd || looksLikeUserPassword) && HOST.test(token.slice(i + 1, i + 300))) {
        at = i;
        break;
      }
    }
    if (at > 0) out.push({ start, end: start + at, userinfo: token.slice(0, at) });
    from = end;
    SCHEME.lastIndex = Math.max(SCHEME.lastIndex, end);
  }
  return out;
}

/** Text that names a secret instead of holding one: `{{ env_var('X') }}`, `${{ secrets.X }}`, `${X}`, `$X`, `%(x)s`. */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v.startsWith('{{') && v.endsWith('}}')) return true;
  if (v.startsWith('${{') && v.endsWith('}}')) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]{0,200}(?::?[-=?+][^}]{0,200})?\}?$/.test(v)) return true;
  return /^%\([^)]{1,100}\)s$/.test(v);
}

/** Jinja defaults that hold a literal: `env_var('REV', 's3cr3t')` → `env_var('REV', '***')`. */
const JINJA_DEFAULT = /(env_var\(\s{0,10}(['"])[^'"\n]{0,200}\2\s{0,10},\s{0,10})(['"])[^'"\n]{0,500}\3/g;
/** Query-string credentials: `?private_token=…`, `&access_token=…`, `&sig=…`. */
const QUERY_TOKEN =
  /([?&;](?:private_token|access_token|refresh_token|id_token|auth_token|token|auth|apikey|api_key|key|password|passwd|pwd|secret|client_secret|sig|signature|code)=)[^&\s#'"`]+/gi;

/** Every finding's text on its way out: secrets replaced by `***`, control characters escaped. */
export function maskSecrets(text: string): string {
  let out = text;
  const creds = urlCredentials(out);
  for (const c of creds.reverse()) {
    if (isReference(c.userinfo)) continue;
    out = `${out.slice(0, c.start)}${HIDDEN}${out.slice(c.end)}`;
  }
  out = out.replace(QUERY_TOKEN, `$1${HIDDEN}`).replace(JINJA_DEFAULT, `$1$3${HIDDEN}$3`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape.pattern, `[${shape.name}]`);
  return printable(out);
}

/** Control and bidirectional-override characters are shown escaped (`\u{202e}`), never raw. */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}
