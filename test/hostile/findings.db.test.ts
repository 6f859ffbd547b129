// Issue 13's audit findings, each reproduced as it was found: against `npm start`'s
// production build (2 web processes + the worker), over raw sockets where a fetch client
// would refuse or normalise the request. Every test here failed on the build before the fix.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A prefix of its own, derived from the run's, removed afterwards.
vi.hoisted(() => {
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-hostile`;
});

import { env } from '@/lib/config';
import { dropSaleRows } from '@/test/orders';
import { adminSession, createSale, diskChanges, diskUse, holdBuild, shopperSession, startShop, type Shop } from './launcher';
import { responseHeader, sendRaw, type RawRequest, type RawResponse } from './rawHttp';
import { dropPrefixKeys } from './cleanup';

let shop: Shop;
let releaseBuild: () => Promise<void> = async () => {};
let liveSale: string;

beforeAll(async () => {
  releaseBuild = await holdBuild();
  shop = await startShop();
  liveSale = await createSale(shop, { name: 'Findings', stock: 20, maxPerUser: 5 });
}, 240_000);

afterAll(async () => {
  await shop?.server.stop(10_000);
  await releaseBuild();
  if (shop) await dropSaleRows(...shop.saleIds);
  await dropPrefixKeys(env.REDIS_PREFIX).catch(() => {});
});

const send = (req: Partial<RawRequest> & { target: string }, giveUpMs?: number): Promise<RawResponse> =>
  sendRaw({ method: 'GET', headers: [['Host', shop.host]], ...req, ...(giveUpMs ? { giveUpMs } : {}) }, { port: shop.port });
const host = (): [string, string] => ['Host', shop.host];
/** The error code of a JSON answer (its body may come in chunked framing). */
const codeOf = (r: RawResponse) => JSON.parse(r.bodyPreview.slice(r.bodyPreview.indexOf('{'), r.bodyPreview.lastIndexOf('}') + 1)).error.code;

describe('issue 13 findings, against the production launcher', () => {
  it('1. a request with 1,500 cookies is a 431 before Next parses them', async () => {
    const cookie = Array.from({ length: 1_500 }, (_, i) => `c${i}=1`).join('; ');
    const r = await send({ target: '/api/health', headers: [host(), ['Cookie', cookie]] });
    expect(r.status).toBe(431);
    expect(codeOf(r)).toBe('headers_too_large');
  });

  it('2. invented sale ids answer 404 and write nothing to the build folder', async () => {
    // What real traffic writes, first: each process's 404 page, the real sale's page and data.
    for (let i = 0; i < 4; i++) {
      await send({ target: '/no-such-page' });
      expect((await send({ target: `/sales/${liveSale}` })).status).toBe(200);
    }
    const before = diskUse();
    const ids = ['FLUSHALL', '%3Cscript%3E', ...Array.from({ length: 40 }, (_, i) => `invented-${i}-${Date.now().toString(36)}`)];
    for (const id of ids) {
      const r = await send({ target: `/sales/${id}` });
      expect(r.status, id).toBe(404);
    }
    expect(diskChanges(before, diskUse()).added).toEqual([]);
  });

  it('3. a body over the cap is refused at once, declared or streamed, on admin paths too', async () => {
    const declared = await send(
      { method: 'POST', target: '/api/admin/sales', headers: [host(), ['Content-Type', 'application/json'], ['Content-Length', String(11 * 1024 * 1024)]], body: Buffer.from('{"a"') },
      5_000,
    );
    expect(declared.status).toBe(413);
    expect(codeOf(declared)).toBe('payload_too_large');
    const streamed = await send(
      { method: 'POST', target: '/admin', headers: [host(), ['Transfer-Encoding', 'chunked']], body: Buffer.from(`4000\r\n${'x'.repeat(0x4000)}\r\n`.repeat(3)) },
      5_000,
    );
    expect([405, 413]).toContain(streamed.status);
    const streamedApi = await send(
      { method: 'POST', target: '/api/admin/sales', headers: [host(), ['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], body: Buffer.from(`4000\r\n${'x'.repeat(0x4000)}\r\n`.repeat(3)) },
      5_000,
    );
    expect(streamedApi.status).toBe(413);
  });

  it('4. malformed percent-encoding in a path is a JSON 400', async () => {
    for (const target of ['/api/sales/%ff', '/api/sales/%zz', '/api/sales/%', '/api/orders/%ff', '/sales/%zz', '/admin/sales/%', '/api/admin/sales/%ff']) {
      const r = await send({ target });
      expect(r.status, target).toBe(400);
      expect(responseHeader(r.head, 'content-type')).toMatch(/application\/json/);
    }
  });

  it('5. TRACE, OPTIONS * and wrong methods get JSON answers, not a 500 or an empty 405', async () => {
    const trace = await send({ method: 'TRACE', target: '/api/health' });
    expect(trace.status).toBe(501);
    expect(codeOf(trace)).toBe('not_implemented');
    expect((await send({ method: 'TRACE', target: '/sales/demo' })).status).toBe(501);
    expect((await send({ method: 'OPTIONS', target: '*' })).status).toBe(204);
    const put = await send({ method: 'PUT', target: `/api/sales/${liveSale}`, headers: [host(), ['Content-Length', '0']] });
    expect(put.status).toBe(405);
    expect(codeOf(put)).toBe('method_not_allowed');
    expect(responseHeader(put.head, 'allow')).toMatch(/GET/);
  });

  it('6. a `next` with CR/LF, NUL or U+2028 on the admin sign-in is never a 500', async () => {
    const cookie = await adminSession(shop);
    for (const next of ['/admin/%0d%0a', '/admin/%00', '/admin/%E2%80%A8', '/admin/%0d%0aSet-Cookie:%20x=1']) {
      const r = await send({ target: `/admin/login?next=${next}`, headers: [host(), ['Cookie', `fg_admin=${cookie}`]] });
      expect(r.status, next).toBeLessThan(500);
      expect(r.head).not.toMatch(/^set-cookie: x=1/im);
    }
  });

  it('7. the image optimizer does not fetch local paths', async () => {
    const r = await send({ target: '/_next/image?url=%2Fadmin&w=64&q=75' });
    expect(r.status).toBe(404);
  });

  it('8. pages carry a hash-based Content-Security-Policy and the other security headers', async () => {
    const res = await fetch(`${shop.server.url}/sales/${liveSale}`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs]) => !/\ssrc=/.test(attrs));
    expect(inline.length).toBeGreaterThan(0);
    for (const [, , body] of inline) expect(csp).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/^ script-src 'self' 'sha256-/);
    expect(scriptSrc).not.toContain('unsafe');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    const api = await fetch(`${shop.server.url}/api/health`);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('9. a client aborting mid-body is not logged as an unhandled error', async () => {
    const session = await shopperSession(shop, 'aborter@example.com');
    const before = shop.server.output().length;
    await send(
      {
        method: 'POST',
        target: `/api/sales/${liveSale}/orders`,
        headers: [host(), ['Cookie', `fg_session=${session}`], ['Content-Type', 'application/json'], ['Content-Length', '1000']],
        body: Buffer.from('{"quantity"'),
      },
      500,
    );
    // The same on a path the proxy sees, where Next copies the body for it.
    await send(
      {
        method: 'POST',
        target: '/api/admin/sales',
        headers: [host(), ['Authorization', `Bearer ${env.ADMIN_TOKEN}`], ['Content-Type', 'application/json'], ['Content-Length', '1000']],
        body: Buffer.from('{"name"'),
      },
      500,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(shop.server.output().slice(before)).not.toMatch(/error|aborted/i);
  });

  it('10. admin sign-out revokes the cookie it ends', async () => {
    const cookie = await adminSession(shop);
    const headers = { cookie: `fg_admin=${cookie}` };
    expect((await fetch(`${shop.server.url}/api/admin/sales`, { headers })).status).toBe(200);
    const out = await fetch(`${shop.server.url}/api/admin/session`, { method: 'DELETE', headers: { ...headers, origin: shop.server.url } });
    expect(out.status).toBe(204);
    expect((await fetch(`${shop.server.url}/api/admin/sales`, { headers })).status).toBe(401);
  });

  it('11. X-Forwarded-Host from a client does not pass the CSRF check; an absolute-form target never redirects off-site', async () => {
    const cookie = await adminSession(shop);
    const r = await send({
      method: 'POST',
      target: '/api/admin/sync',
      headers: [host(), ['Cookie', `fg_admin=${cookie}`], ['Origin', 'http://evil.example'], ['X-Forwarded-Host', 'evil.example'], ['Content-Length', '0']],
    });
    expect(r.status).toBe(403);
    expect(codeOf(r)).toBe('forbidden_origin');
    const absolute = await send({ target: 'http://evil.example/admin' });
    expect(absolute.status).toBeLessThan(500);
    expect(responseHeader(absolute.head, 'location') ?? '').not.toContain('evil.example');
  });

  it('12. the same Idempotency-Key with another quantity is a 422, and reserves nothing', async () => {
    const session = await shopperSession(shop, 'idem@example.com');
    const buy = (quantity: number) =>
      fetch(`${shop.server.url}/api/sales/${liveSale}/orders`, {
        method: 'POST',
        headers: { cookie: `fg_session=${session}`, 'content-type': 'application/json', 'idempotency-key': 'one-purchase' },
        body: JSON.stringify({ quantity }),
      });
    expect((await buy(1)).status).toBe(202);
    const again = await buy(3);
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('idempotency_mismatch');
    const status = (await (await fetch(`${shop.server.url}/api/sales/${liveSale}`)).json()) as { stock: { remaining: number } };
    expect(status.stock.remaining).toBe(19);
  });
});
