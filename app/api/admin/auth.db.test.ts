import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSignIn, dashboardSignOut, dashboardSignOutEverywhere } from '@/lib/admin/api/session';
import { addSale, saleAudit, saleCommand, saleEdit, saleStats, salesOverview } from '@/lib/admin/api/sales';
import { ADMIN_COOKIE, startAdminSession, verifyAdminSession } from '@/lib/auth/adminSession';
import { clientIp, SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_S } from '@/lib/auth/adminSignIn';
import { signSession, SESSION_COOKIE } from '@/lib/auth/session';
import { env } from '@/lib/config';
import { prisma } from '@/lib/db/client';
import type { Endpoint } from '@/lib/http/core';
import { redis } from '@/lib/redis/client';
import { globalKeys } from '@/lib/redis/keys';
import type { SaleRecord } from '@/lib/sale/types';
import { clearTestKeys, storedSale } from '@/test/fixtures';
import { call, nextRequest, request } from '@/test/http';
import { config as proxyConfig, proxy } from '@/proxy';

// The admin's doors: Bearer token, session cookie and its sign-out, CSRF, sign-in rate limit,
// proxy, audit log.
// Every sale here is this file's own; assertions look only at those rows.
const ORIGIN = 'http://shop.test'; // test/http.ts's host
const tag = randomUUID().slice(0, 8);
const created: string[] = [];
const ipsUsed: string[] = [];

let target: SaleRecord;
beforeAll(async () => {
  target = await storedSale({ name: `auth target ${tag}`, stock: 5 });
});
afterAll(async () => {
  await clearTestKeys(...created);
  if (ipsUsed.length) await redis.del(...ipsUsed.map((ip) => globalKeys().adminSignIns(ip)));
});

const cookie = (token: string, name = ADMIN_COOKIE) => ({ cookie: `${name}=${token}` });
const validCookie = async () => cookie((await startAdminSession()).token);
const expiredCookie = async (expiresAt = Math.floor(Date.now() / 1000) - 60) => cookie((await startAdminSession({ expiresAt })).token);
const newIp = () => {
  const ip = `2001:db8::${randomBytes(4).toString('hex')}`;
  ipsUsed.push(ip);
  return ip;
};
const saleBody = (name = `auth sale ${tag}`) => ({ name, priceCents: 500, stock: 4, startsAt: new Date().toISOString() });

type Route = {
  name: string;
  handler: Endpoint;
  method: string;
  path: () => string;
  params?: () => Record<string, string>;
  json?: unknown;
};

const saleParams = () => ({ saleId: target.id });
const commandRoute = (name: string): Route => ({
  name: `POST /api/admin/sales/{id}/${name}`,
  handler: saleCommand as Endpoint,
  method: 'POST',
  path: () => `/api/admin/sales/${target.id}/${name}`,
  params: () => ({ saleId: target.id, command: name }),
});

// Every admin route but the sign-in itself.
const ROUTES: Route[] = [
  { name: 'GET /api/admin/sales', handler: salesOverview, method: 'GET', path: () => '/api/admin/sales' },
  { name: 'POST /api/admin/sales', handler: addSale, method: 'POST', path: () => '/api/admin/sales', json: saleBody() },
  {
    name: 'PATCH /api/admin/sales/{id}',
    handler: saleEdit as Endpoint,
    method: 'PATCH',
    path: () => `/api/admin/sales/${target.id}`,
    params: saleParams,
    json: { stock: 50 },
  },
  ...['start', 'pause', 'resume', 'end'].map(commandRoute),
  { name: 'GET /api/admin/sales/{id}/stats', handler: saleStats as Endpoint, method: 'GET', path: () => `/api/admin/sales/${target.id}/stats`, params: saleParams },
  { name: 'GET /api/admin/sales/{id}/audit', handler: saleAudit as Endpoint, method: 'GET', path: () => `/api/admin/sales/${target.id}/audit`, params: saleParams },
  { name: 'DELETE /api/admin/sessions', handler: dashboardSignOutEverywhere, method: 'DELETE', path: () => '/api/admin/sessions' },
];

async function callRoute(route: Route, headers: Record<string, string>) {
  const req = await request(route.path(), { method: route.method, json: route.json, headers });
  return call(route.handler, req, route.params?.() ?? {});
}

const otherKey = new TextEncoder().encode('not-the-server-secret-at-all-0123456789');
const BAD_CREDENTIALS: [string, () => Promise<Record<string, string>>][] = [
  ['no credentials', async () => ({})],
  ['a wrong token', async () => ({ authorization: 'Bearer wrong-token' })],
  ['the token without Bearer', async () => ({ authorization: env.ADMIN_TOKEN })],
  ['a spoofed middleware header', async () => ({ 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' })],
  [
    'a forged cookie (another key)',
    async () => cookie(await new SignJWT({ kind: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(otherKey)),
  ],
  ['an unsigned cookie (alg none)', async () => cookie(new UnsecuredJWT({ kind: 'admin' }).setExpirationTime('1h').encode())],
  [
    'a tampered cookie',
    async () => {
      const [h, , sig] = (await signSession('u-tamper')).split('.');
      const payload = Buffer.from(JSON.stringify({ kind: 'admin', exp: 9_999_999_999 })).toString('base64url');
      return cookie(`${h}.${payload}.${sig}`);
    },
  ],
  ['an expired cookie', () => expiredCookie()],
  ["a shopper's token in the admin cookie", async () => cookie(await signSession('u-shopper'))],
  ["a shopper's session", async () => cookie(await signSession('u-shopper'), SESSION_COOKIE)],
];

describe('every admin route refuses bad credentials', () => {
  const cases = ROUTES.flatMap((route) => BAD_CREDENTIALS.map(([what, headers]) => [route.name, what, route, headers] as const));

  it.each(cases)('%s refuses %s with 401 and changes nothing', async (_route, _what, route, headers) => {
    const before = await prisma.sale.findUniqueOrThrow({ where: { id: target.id } });
    const res = await callRoute(route, await headers());
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await prisma.sale.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
    expect(await prisma.auditLog.count({ where: { saleId: target.id } })).toBe(0);
    expect(await prisma.sale.count({ where: { name: saleBody().name } })).toBe(0);
  });

  it.each(ROUTES.filter((r) => r.method === 'GET'))('$name answers a valid session cookie', async (route) => {
    expect((await callRoute(route, await validCookie())).status).toBe(200);
  });
});

describe('CSRF: mutations with the admin cookie must come from this site', () => {
  const mutations = ROUTES.filter((r) => r.method !== 'GET');

  it.each(mutations)('$name refuses a foreign Origin with 403', async (route) => {
    const before = await prisma.sale.findUniqueOrThrow({ where: { id: target.id } });
    const res = await callRoute(route, { ...(await validCookie()), origin: 'https://evil.example' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden_origin' } } });
    expect(await prisma.sale.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
    expect(await prisma.sale.count({ where: { name: saleBody().name } })).toBe(0);
  });

  it('refuses a foreign Origin that names itself in X-Forwarded-Host (no proxy trusted)', async () => {
    expect(env.TRUSTED_PROXY_HOPS).toBe(0);
    const headers = { ...(await validCookie()), origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' };
    const res = await callRoute(mutations[0], headers);
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden_origin' } } });
    expect(await prisma.sale.count({ where: { name: saleBody().name } })).toBe(0);
  });

  it('refuses a cross-site fetch that sends no Origin', async () => {
    const res = await callRoute(mutations[0], { ...(await validCookie()), 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
  });

  it('accepts the same Origin and records the session as the actor', async () => {
    const name = `csrf ok ${tag}`;
    const req = await request('/api/admin/sales', { json: saleBody(name), headers: { ...(await validCookie()), origin: ORIGIN } });
    const res = await call(addSale, req);
    expect(res.status).toBe(201);
    created.push(res.body.id);
    const rows = await prisma.auditLog.findMany({ where: { saleId: res.body.id } });
    expect(rows).toMatchObject([{ actor: 'admin-session', action: 'create' }]);
  });

  it('does not apply to the Bearer token, which a browser never sends by itself', async () => {
    const req = await request('/api/admin/sales', { json: saleBody(`bearer ${tag}`), admin: true, headers: { origin: 'https://evil.example' } });
    const res = await call(addSale, req);
    expect(res.status).toBe(201);
    created.push(res.body.id);
  });
});

describe('POST /api/admin/session (sign-in)', () => {
  const signIn = async (password: unknown, ip: string, headers: Record<string, string> = {}) =>
    call(dashboardSignIn, await request('/api/admin/session', { json: { password }, headers: { 'x-forwarded-for': ip, ...headers } }));

  it('sets a signed, HttpOnly, SameSite=Strict cookie with an expiry for the right password', async () => {
    const res = await signIn(env.ADMIN_PASSWORD, newIp());
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${ADMIN_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).toMatch(/Path=\//);
    const token = /^fg_admin=([^;]+)/.exec(setCookie)![1];
    expect(await verifyAdminSession(token)).toBe(true);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect((await call(salesOverview, await request('/api/admin/sales', { headers: cookie(token) }))).status).toBe(200);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const res = await signIn('not-the-password', newIp());
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a malformed body with 400 and a foreign Origin with 403', async () => {
    expect((await signIn('', newIp())).status).toBe(400);
    expect((await signIn(env.ADMIN_PASSWORD, newIp(), { origin: 'https://evil.example' })).status).toBe(403);
  });

  it(`allows ${SIGN_IN_ATTEMPTS} failed attempts per IP, then answers 429 with Retry-After, even to the right password`, async () => {
    const ip = newIp();
    for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) expect((await signIn(`guess-${i}`, ip)).status).toBe(401);
    const limited = await signIn('one-more-guess', ip);
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_S);
    expect((await signIn(env.ADMIN_PASSWORD, ip)).status).toBe(429);
    // Another address is not affected.
    expect((await signIn(env.ADMIN_PASSWORD, newIp())).status).toBe(200);
  });

  it('counts attempts made at the same moment (no slipping past the limit in parallel)', async () => {
    const ip = newIp();
    const statuses = await Promise.all(Array.from({ length: SIGN_IN_ATTEMPTS + 5 }, (_, i) => signIn(`p-${i}`, ip).then((r) => r.status)));
    expect(statuses.filter((st) => st === 401)).toHaveLength(SIGN_IN_ATTEMPTS);
    expect(statuses.filter((st) => st === 429)).toHaveLength(5);
  });

  it('clears the count on a successful sign-in', async () => {
    const ip = newIp();
    for (let i = 0; i < SIGN_IN_ATTEMPTS - 1; i++) await signIn(`guess-${i}`, ip);
    expect((await signIn(env.ADMIN_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) expect((await signIn(`again-${i}`, ip)).status).toBe(401);
  });

  it('keys the limit on the first X-Forwarded-For hop', async () => {
    const req = (xff: string) => request('/api/admin/session', { headers: { 'x-forwarded-for': xff } });
    expect(clientIp(await req('203.0.113.9, 10.0.0.1'))).toBe('203.0.113.9');
    expect(clientIp(await req(' 203.0.113.9 '))).toBe('203.0.113.9');
    expect(clientIp(await request('/api/admin/session'))).toBe('unknown');
  });

  it('DELETE clears the cookie', async () => {
    const res = await call(dashboardSignOut, await request('/api/admin/session', { method: 'DELETE', headers: { origin: ORIGIN } }));
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^fg_admin=;.*Max-Age=0/i);
  });
});

describe('signing out revokes the session, not only the cookie', () => {
  const signIn = async () => {
    const res = await call(dashboardSignIn, await request('/api/admin/session', { json: { password: env.ADMIN_PASSWORD }, headers: { 'x-forwarded-for': newIp() } }));
    expect(res.status).toBe(200);
    return /^fg_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
  };
  const adminGet = async (headers: Record<string, string>) => (await call(salesOverview, await request('/api/admin/sales', { headers }))).status;
  const signOut = async (token: string) =>
    call(dashboardSignOut, await request('/api/admin/session', { method: 'DELETE', headers: { ...cookie(token), origin: ORIGIN } }));
  const signOutEverywhere = async (headers: Record<string, string>) =>
    call(dashboardSignOutEverywhere, await request('/api/admin/sessions', { method: 'DELETE', headers }));

  it('after DELETE /api/admin/session the old cookie gets 401; other sessions stay signed in', async () => {
    const [token, other] = [await signIn(), await signIn()];
    expect(await adminGet(cookie(token))).toBe(200);
    const res = await signOut(token);
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^fg_admin=;.*Max-Age=0/i);
    expect(await adminGet(cookie(token))).toBe(401);
    expect(await verifyAdminSession(token)).toBe(false);
    expect(await adminGet(cookie(other))).toBe(200);
    // Signing out again, or with no session at all, is still a 204.
    expect((await signOut(token)).status).toBe(204);
  });

  it('sign out everywhere: every earlier cookie gets 401, a new sign-in works, the Bearer token too', async () => {
    const earlier = [await signIn(), await signIn(), await signIn()];
    for (const token of earlier) expect(await adminGet(cookie(token))).toBe(200);
    const res = await signOutEverywhere({ ...cookie(earlier[0]), origin: ORIGIN });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^fg_admin=;.*Max-Age=0/i);
    for (const token of earlier) expect(await adminGet(cookie(token))).toBe(401);
    expect(await adminGet(cookie(await signIn()))).toBe(200);
    expect(await adminGet({ authorization: `Bearer ${env.ADMIN_TOKEN}` })).toBe(200);
  });

  it('sign out everywhere is an admin action: the Bearer token may, nobody else, nor a foreign page', async () => {
    const token = await signIn();
    expect((await signOutEverywhere({})).status).toBe(401);
    expect((await signOutEverywhere({ ...cookie(token), origin: 'https://evil.example' })).status).toBe(403);
    expect(await adminGet(cookie(token))).toBe(200);
    expect((await signOutEverywhere({ authorization: `Bearer ${env.ADMIN_TOKEN}` })).status).toBe(204);
    expect(await adminGet(cookie(token))).toBe(401);
  });

  it('a token signed with the server secret but naming no live session counts as none', async () => {
    const key = new TextEncoder().encode(env.SESSION_SECRET);
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await adminGet(cookie(await signed({ kind: 'admin' })))).toBe(401); // as tokens were before sessions lived in Redis
    expect(await adminGet(cookie(await signed({ kind: 'admin', sid: 'made-up-session-id' })))).toBe(401);
    expect(await adminGet(cookie(await signed({ kind: 'admin', sid: 42 })))).toBe(401);
  });
});

describe('audit log', () => {
  const auditOf = async (saleId: string) =>
    call(saleAudit, await request(`/api/admin/sales/${saleId}/audit`, { admin: true }), { saleId });

  it('writes one row per admin action, with who, what and the changed fields', async () => {
    const res = await call(addSale, await request('/api/admin/sales', { json: saleBody(`audited ${tag}`), admin: true }));
    const id = res.body.id as string;
    created.push(id);
    const patch = async (json: unknown, headers: Record<string, string> = {}) =>
      call(saleEdit, await request(`/api/admin/sales/${id}`, { method: 'PATCH', json, headers }), { saleId: id });
    const act = async (name: string) =>
      call(saleCommand, await request(`/api/admin/sales/${id}/${name}`, { method: 'POST', admin: true }), { saleId: id, command: name });

    expect((await patch({ stock: 10 }, { ...(await validCookie()), origin: ORIGIN })).status).toBe(200);
    expect((await act('pause')).status).toBe(200);
    expect((await act('resume')).status).toBe(200);
    expect((await act('resume')).status).toBe(409); // refused: not recorded
    expect((await act('end')).status).toBe(200);

    const list = await auditOf(id);
    expect(list.status).toBe(200);
    expect(list.body.map((r: { action: string }) => r.action)).toEqual(['end', 'resume', 'pause', 'update', 'create']);
    const [end, resume, pause, update, create] = list.body;
    expect(create).toMatchObject({ saleId: id, actor: 'api-token', before: null, after: { name: `audited ${tag}`, stock: 4, flag: 'armed' } });
    expect(update).toMatchObject({ actor: 'admin-session', before: { stock: 4 }, after: { stock: 10 } });
    expect(Object.keys(update.after)).toEqual(['stock']);
    expect(pause).toMatchObject({ actor: 'api-token', before: { flag: 'armed' }, after: { flag: 'paused' } });
    expect(resume).toMatchObject({ before: { flag: 'paused' }, after: { flag: 'armed' } });
    expect(end).toMatchObject({ before: { flag: 'armed' }, after: { flag: 'ended' } });
    expect(Date.parse(end.createdAt)).toBeGreaterThanOrEqual(Date.parse(create.createdAt));
  });

  it('records start with the new start time when it opens a scheduled sale early', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call(addSale, await request('/api/admin/sales', { json: { ...saleBody(`early ${tag}`), startsAt: later }, admin: true }));
    created.push(res.body.id);
    await call(saleCommand, await request(`/api/admin/sales/${res.body.id}/start`, { method: 'POST', admin: true }), {
      saleId: res.body.id,
      command: 'start',
    });
    const [start] = (await auditOf(res.body.id)).body;
    expect(start).toMatchObject({ action: 'start', before: { startsAt: later } });
    expect(Date.parse(start.after.startsAt)).toBeLessThanOrEqual(Date.now());
  });

  it('answers 404 for an unknown sale', async () => {
    expect((await auditOf('s0000000000000000000000')).status).toBe(404);
  });
});

describe('proxy (convenience in front of the real checks)', () => {
  const at = (path: string, headers: Record<string, string> = {}) =>
    nextRequest(path, { headers }).then((req) => proxy(req));

  it('runs only on the admin paths, never on the shopper API', () => {
    expect(proxyConfig.matcher).toEqual(['/admin/:path*', '/api/admin/:path*']);
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config: proxyConfig, url });
    expect(matches('/admin')).toBe(true);
    expect(matches('/admin/sales/abc')).toBe(true);
    expect(matches('/api/admin/sales')).toBe(true);
    expect(matches('/api/sales/abc/orders')).toBe(false);
    expect(matches('/api/sales')).toBe(false);
    expect(matches('/sales/abc')).toBe(false);
    expect(matches('/')).toBe(false);
  });

  it('redirects pages without a session to the sign-in, keeping where they were going', async () => {
    for (const headers of [{}, cookie(await signSession('u1'), SESSION_COOKIE), await expiredCookie(1)]) {
      const res = await at('/admin/sales/abc?x=1', headers);
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe(`${ORIGIN}/admin/login?next=${encodeURIComponent('/admin/sales/abc?x=1')}`);
    }
  });

  it('answers 401 JSON for the API without credentials', async () => {
    const res = await at('/api/admin/sales');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('checks the signature only: a signed-out cookie gets past it, withAdmin refuses it', async () => {
    const { token } = await startAdminSession();
    await call(dashboardSignOut, await request('/api/admin/session', { method: 'DELETE', headers: { ...cookie(token), origin: ORIGIN } }));
    expect((await at('/api/admin/sales', cookie(token))).headers.get('x-middleware-next')).toBe('1');
    expect((await call(salesOverview, await request('/api/admin/sales', { headers: cookie(token) }))).status).toBe(401);
  });

  it('lets through the sign-in, a valid session and the Bearer token', async () => {
    for (const [path, headers] of [
      ['/admin/login', {}],
      ['/api/admin/session', {}],
      ['/admin', await validCookie()],
      ['/api/admin/sales', { authorization: `Bearer ${env.ADMIN_TOKEN}` }],
    ] as const) {
      const res = await at(path, headers);
      expect(res.headers.get('x-middleware-next')).toBe('1');
    }
  });
});
