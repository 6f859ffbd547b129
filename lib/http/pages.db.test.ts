import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearTestKeys, liveSale, sleep } from '@/test/fixtures';
import { SESSION_COOKIE, signSession } from '../auth/session';
import { purchase } from '../shop/api/purchase';
import { saleStatus } from '../shop/api/saleStatus';
import { signIn, signOut } from '../shop/api/session';
import { appRoute } from './app';
import { MAX_BODY_BYTES } from './body';
import type { Endpoints, HttpMethod } from './methods';
import { pagesRoute } from './pages';

// The same endpoints through both adapters: the Pages one on a real socket, called the way
// Next's pages server calls a pages/api route (the file's params in `req.query`, its body
// parser off), and the App one in-process as Next calls a route handler. They must answer
// alike, byte for byte where the contract looks: status, JSON body, headers, cookies.
type SaleParams = { saleId: string };
const PATHS: { pattern: RegExp; served: Endpoints<SaleParams> }[] = [
  { pattern: /^\/api\/session$/, served: { POST: signIn, DELETE: signOut } },
  { pattern: /^\/api\/sales\/(?<saleId>[^/]+)$/, served: { GET: saleStatus } },
  { pattern: /^\/api\/sales\/(?<saleId>[^/]+)\/orders$/, served: { POST: purchase } },
];
const pagesHandlers = PATHS.map(({ served }) => pagesRoute(served));
const appHandlers = PATHS.map(({ served }) => appRoute(served));

function routeOf(path: string) {
  const index = PATHS.findIndex(({ pattern }) => pattern.test(path));
  if (index < 0) throw new Error(`no test route for ${path}`);
  return { index, params: { ...PATHS[index].pattern.exec(path)!.groups } as SaleParams };
}

// Status codes the Pages handlers finished with, once they had; what Next's body parser would
// have left behind when a request asks for it.
const finished: number[] = [];
const server = createServer((req, res) => {
  const { index, params } = routeOf(new URL(req.url!, 'http://x').pathname);
  Object.assign(req, { query: params }, req.headers['x-test-parsed-body'] ? { body: {} } : {});
  void pagesHandlers[index](req, res).then(() => finished.push(res.statusCode));
});
let port: number;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await clearTestKeys();
});

const HOST = 'shop.test';
type Call = { method: string; path: string; headers?: Record<string, string>; body?: string };
type Answer = { status: number; headers: IncomingHttpHeaders; body: unknown };
const parse = (text: string) => (text ? JSON.parse(text) : null);

async function answerTo(req: ClientRequest): Promise<Answer> {
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk);
  return { status: res.statusCode!, headers: res.headers, body: parse(Buffer.concat(chunks).toString()) };
}

const clientRequest = (method: string, path: string, headers: Record<string, string>) =>
  httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: HOST, ...headers } });

async function viaPages({ method, path, headers = {}, body }: Call): Promise<Answer> {
  const req = clientRequest(method, path, headers);
  req.end(body);
  return answerTo(req);
}

async function viaApp({ method, path, headers = {}, body }: Call): Promise<Answer> {
  const { index, params } = routeOf(path);
  const req = new NextRequest(`http://${HOST}${path}`, { method, headers: { host: HOST, ...headers }, body });
  const res = await appHandlers[index][method as HttpMethod](req, { params: Promise.resolve(params) });
  const cookies = res.headers.getSetCookie();
  const all = { ...Object.fromEntries(res.headers), ...(cookies.length ? { 'set-cookie': cookies } : {}) };
  return { status: res.status, headers: all, body: parse(await res.text()) };
}

// What the contract looks at. A cookie's value and Expires, and ids and clocks in a body,
// differ from one answer to the next.
const CONTRACT_HEADERS = ['content-type', 'cache-control', 'allow', 'retry-after', 'set-cookie'];
function comparable({ status, headers, body }: Answer) {
  const picked = Object.fromEntries(CONTRACT_HEADERS.filter((h) => headers[h] !== undefined).map((h) => [h, headers[h]]));
  if (picked['set-cookie']) {
    picked['set-cookie'] = [picked['set-cookie']].flat().map((c) => c.replace(/=[^;]*/, '=<value>').replace(/Expires=[^;]*/, 'Expires=<date>'));
  }
  const json = JSON.stringify(body, (key, value) => (['orderId', 'serverTime'].includes(key) ? `<${key}>` : value));
  return { status, headers: picked, body: json };
}

const shopperCookie = async () => ({ cookie: `${SESSION_COOKIE}=${await signSession(`u-${randomUUID()}`)}` });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the Pages adapter answers as the App adapter does', () => {
  let saleId: string;
  beforeAll(async () => {
    saleId = (await liveSale({ stock: 100, maxPerUser: 10 })).id;
  });

  const CASES: [string, () => Promise<Call>][] = [
    ['a sign-in (cookie set)', async () => ({ method: 'POST', path: '/api/session', headers: JSON_TYPE, body: '{"email":"ann@example.com"}' })],
    ['a sign-in behind an HTTPS proxy (Secure cookie)', async () => ({
      method: 'POST',
      path: '/api/session',
      headers: { ...JSON_TYPE, 'x-forwarded-proto': 'https' },
      body: '{"email":"ann@example.com"}',
    })],
    ['a sign-out (cookie cleared)', async () => ({ method: 'DELETE', path: '/api/session', headers: { origin: `http://${HOST}` } })],
    ['a sign-in from a foreign page', async () => ({
      method: 'POST',
      path: '/api/session',
      headers: { ...JSON_TYPE, origin: 'https://evil.example' },
      body: '{"email":"ann@example.com"}',
    })],
    ['the sale status (CDN-cacheable)', async () => ({ method: 'GET', path: `/api/sales/${saleId}` })],
    ['HEAD of it', async () => ({ method: 'HEAD', path: `/api/sales/${saleId}` })],
    ['OPTIONS', async () => ({ method: 'OPTIONS', path: `/api/sales/${saleId}` })],
    ['a method the path does not serve', async () => ({ method: 'PUT', path: `/api/sales/${saleId}`, headers: JSON_TYPE, body: '{}' })],
    ['an unknown sale', async () => ({ method: 'GET', path: '/api/sales/nope' })],
    ['a purchase', async () => ({ method: 'POST', path: `/api/sales/${saleId}/orders`, headers: { ...(await shopperCookie()), ...JSON_TYPE }, body: '{"quantity":2}' })],
    ['a purchase with no body at all', async () => ({ method: 'POST', path: `/api/sales/${saleId}/orders`, headers: await shopperCookie() })],
    ['a purchase signed out', async () => ({ method: 'POST', path: `/api/sales/${saleId}/orders`, headers: JSON_TYPE, body: '{}' })],
    ['a purchase as a form post', async () => ({
      method: 'POST',
      path: `/api/sales/${saleId}/orders`,
      headers: { ...(await shopperCookie()), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'quantity=1',
    })],
    ['a purchase with a body over the cap', async () => ({
      method: 'POST',
      path: `/api/sales/${saleId}/orders`,
      headers: { ...(await shopperCookie()), ...JSON_TYPE },
      body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }),
    })],
  ];

  it.each(CASES)('%s', async (_name, make) => {
    const [pages, app] = [await viaPages(await make()), await viaApp(await make())];
    expect(comparable(pages)).toEqual(comparable(app));
  });

  it('sends the same Set-Cookie bytes, Expires aside', async () => {
    const call: Call = { method: 'DELETE', path: '/api/session', headers: { origin: `http://${HOST}` } };
    const [pages, app] = [await viaPages(call), await viaApp(call)];
    expect(pages.headers['set-cookie']).toEqual(['fg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=lax']);
    expect(app.headers['set-cookie']).toEqual(pages.headers['set-cookie']);
  });
});

describe('the Pages adapter on its own', () => {
  /** Headers and a body of `size` bytes, sent chunked (no Content-Length) by a real client. */
  async function chunkedPurchase(size: number): Promise<Answer> {
    const saleId = (await liveSale()).id;
    const headers = { ...(await shopperCookie()), ...JSON_TYPE, 'transfer-encoding': 'chunked' };
    const req = clientRequest('POST', `/api/sales/${saleId}/orders`, headers);
    req.on('error', () => {}); // the server may close while we still write
    for (let sent = 0; sent < size; sent += 1024) req.write('x'.repeat(1024));
    req.end();
    return answerTo(req);
  }

  it('refuses a chunked body past 16 KiB with 413 and keeps serving', async () => {
    const res = await chunkedPurchase(MAX_BODY_BYTES * 4);
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect((await viaPages({ method: 'GET', path: '/api/sales/nope' })).status).toBe(404);
  });

  it('answers a client that hangs up mid-body with 499, logging nothing, and keeps serving', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const before = finished.length;
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`POST /api/session HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":"`);
      await sleep(50);
      socket.destroy();
      for (let i = 0; i < 100 && finished.length === before; i++) await sleep(10);
      expect(finished.slice(before)).toEqual([499]);
      expect(logged).not.toHaveBeenCalled();
      expect((await viaPages({ method: 'GET', path: '/api/sales/nope' })).status).toBe(404);
    } finally {
      logged.mockRestore();
    }
  });

  it('answers a method outside the App Router\'s seven with the JSON 405', async () => {
    const res = await viaPages({ method: 'PROPFIND', path: '/api/session' });
    expect(res).toMatchObject({ status: 405, headers: { allow: 'DELETE, OPTIONS, POST' }, body: { error: { code: 'method_not_allowed' } } });
  });

  it('refuses to read a body Next has parsed already (a route without bodyParser: false) with a logged 500', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const headers = { ...JSON_TYPE, 'x-test-parsed-body': '1' };
      const res = await viaPages({ method: 'POST', path: '/api/session', headers, body: '{"email":"ann@example.com"}' });
      expect(res).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
      expect(logged).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ message: expect.stringContaining('bodyParser: false') }));
    } finally {
      logged.mockRestore();
    }
  });
});
