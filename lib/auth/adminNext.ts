// Where the sign-in sends an admin afterwards (`/admin/login?next=...`). The page puts it in a
// Location header through redirect() and the form in window.location, so only a plain
// dashboard path passes: a control character in a header is a 500 ("Invalid character in
// header content"), a backslash, `//` or a dot segment can leave the dashboard or the site.
export const DASHBOARD_HOME = '/admin';
const MAX_LENGTH = 2048;

// RFC 3986 unreserved and sub-delim characters, `:` and `@`, and well-formed %-escapes; no
// spaces, `\`, `#` or anything outside ASCII. Segments are non-empty (no `//`).
const CHAR = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})`;
const PLAIN_PATH = new RegExp(String.raw`^/admin(?:/${CHAR}+)*/?(?:\?(?:${CHAR}|[/?])*)?$`);
// What an escape may not stand for: C0/C1 controls, DEL, the line and paragraph separators, `\`.
const UNSAFE_DECODED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;
// Checked once decoded, since browsers also resolve `%2e%2e` and `%2f`.
const DOT_OR_EMPTY_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)|\/\//;

function decodedOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null; // an escape that is not UTF-8
  }
}

function isDashboardPath(next: unknown): next is string {
  if (typeof next !== 'string' || next.length > MAX_LENGTH || !PLAIN_PATH.test(next)) return false;
  const decoded = decodedOrNull(next);
  if (decoded === null || UNSAFE_DECODED.test(decoded)) return false;
  const path = decodedOrNull(next.split('?')[0]) ?? '';
  return !DOT_OR_EMPTY_SEGMENT.test(path) && !path.startsWith('/admin/login'); // not back to the sign-in
}

/** `next` when it is a plain path inside the dashboard, else the dashboard's home. */
export const safeAdminNext = (next: unknown): string => (isDashboardPath(next) ? next : DASHBOARD_HOME);
