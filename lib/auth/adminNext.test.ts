import { describe, expect, it } from 'vitest';
import { safeAdminNext } from './adminNext';

// Where the sign-in page sends an admin afterwards. redirect() puts it in a Location header,
// so anything but a plain dashboard path must fall back to /admin: a control character there
// is a 500 ("Invalid character in header content"), another host an open redirect.
describe('safeAdminNext', () => {
  it.each([
    '/admin',
    '/admin/',
    '/admin/sales/x?y=1',
    '/admin/sales/s0a1B2c3?tab=audit&from=2026-12-01T10:00:00Z',
    '/admin?filter=live',
    '/admin/sales/a%20b', // a percent-escape of a printable character
  ])('keeps the dashboard path %s', (next) => {
    expect(safeAdminNext(next)).toBe(next);
  });

  it.each([
    ['CR/LF', '/admin/\r\n'],
    ['CR/LF as searchParams decode %0d%0a', decodeURIComponent('/admin/%0d%0a')],
    ['a header injected after CR/LF', '/admin\r\nSet-Cookie: x=1'],
    ['CR/LF still percent-encoded', '/admin/%0d%0a'],
    ['NUL', '/admin/\0'],
    ['NUL percent-encoded', '/admin/%00'],
    ['U+2028 (as %E2%80%A8 decodes)', decodeURIComponent('/admin/%E2%80%A8')],
    ['U+2028 percent-encoded', '/admin/%E2%80%A8'],
    ['a tab', '/admin/\tsales'],
    ['DEL', '/admin/\x7f'],
    ['a space', '/admin/sales x'],
    ['non-ASCII', '/admin/säles'],
    ['a broken percent-escape', '/admin/%zz'],
    ['another host (//)', '//evil.example'],
    ['another host (/\\)', '/\\evil.example'],
    ['another host after the prefix', '/admin\\@evil.example'],
    ['a backslash in the path', '/admin/\\evil.example'],
    ['an absolute URL', 'https://evil.example/admin'],
    ['an absolute URL of this path', 'http://shop.test/admin'],
    ['a scheme-relative URL', '//shop.test/admin'],
    ['javascript:', 'javascript:alert(1)'],
    ['a path outside the dashboard', '/sales/x'],
    ['a lookalike prefix', '/administrator'],
    ['a dot segment leaving the dashboard', '/admin/../sales'],
    ['a dot segment, encoded', '/admin/%2e%2e/sales'],
    ['an empty segment', '/admin//evil.example'],
    ['the sign-in itself (a loop)', '/admin/login?next=/admin'],
    ['a fragment', '/admin#x'],
    ['an empty string', ''],
    ['a very long path', `/admin/${'a'.repeat(3000)}`],
  ])('refuses %s', (_what, next) => {
    expect(safeAdminNext(next)).toBe('/admin');
  });

  it('refuses anything that is not one string (repeated ?next=, missing)', () => {
    expect(safeAdminNext(['/admin/a', '/admin/b'])).toBe('/admin');
    expect(safeAdminNext(undefined)).toBe('/admin');
  });
});
