// The front gate on a real node:http server, spoken to over raw sockets (a fetch client would
// refuse or normalise the hostile requests). `next()` stands for Next.js: it answers what
// reached it, so a test sees whether the gate let a request through and how it looked.
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrontGate, LIMITS, NO_SUCH_PAGE, salePageId } from './front-gate.mjs';
import { hashesOfInlineScripts } from './security-headers.mjs';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
let seen: Seen[] = [];
let port = 0;
let server: http.Server;
const PAGE = '<html><head><script>self.a=1</script><script src="/x.js"></script></head><body>' + 'x'.repeat(2_000) + '<script>self.b=2</script></body></html>';

beforeAll(async () => {
  const gate = createFrontGate({ saleExists: async (id) => id === 'real-sale' });
  server = http.createServer((req, res) =>
    gate(req, res, async () => {
      let body = '';
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/cached-page') {
        res.statusCode = 304;
        res.end();
        return;
      }
      if (req.url!.startsWith('/page')) {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.flushHeaders();
        res.write(PAGE.slice(0, 100));
        res.end(PAGE.slice(100));
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
});

afterAll(() => server.close());

type Answer = { status: number; headers: Record<string, string>; body: Buffer };

/** Send raw bytes, read the answer until the server closes the connection. */
async function raw(text: string | Buffer, { trickle = false } = {}): Promise<Answer> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c) => chunks.push(c));
  socket.on('error', () => {});
  // `trickle` leaves the connection open for the server to close (a half-closed request may be
  // dropped before a slow answer).
  if (trickle) socket.write(text);
  else socket.end(text);
  await once(socket, 'close');
  const all = Buffer.concat(chunks);
  const split = all.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: all.subarray(split + 4) };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString(), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

const get = (target: string, extra = '') => raw(`GET ${target} HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\n${extra}\r\n`, { trickle: true });
const errorCode = (a: Answer) => JSON.parse(a.body.toString()).error.code;

describe('front gate', () => {
  it('lets an ordinary request through, with the security headers', async () => {
    seen = [];
    const a = await get('/api/health');
    expect(a.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['x-frame-options']).toBe('DENY');
    expect(a.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(a.headers['permissions-policy']).toContain('camera=()');
    expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses absurd cookie counts and sizes with 431 before the app sees them', async () => {
    seen = [];
    const many = Array.from({ length: 1_500 }, (_, i) => `c${i}=1`).join('; ');
    const big = `a=${'x'.repeat(LIMITS.cookieBytes)}`;
    for (const cookie of [many, big]) {
      const a = await get('/api/health', `cookie: ${cookie}\r\n`);
      expect(a.status).toBe(431);
      expect(errorCode(a)).toBe('headers_too_large');
    }
    // Split over several Cookie headers counts the same.
    const split = Array.from({ length: 60 }, (_, i) => `cookie: c${i}=1\r\n`).join('');
    expect((await get('/api/health', split)).status).toBe(431);
    expect(seen).toHaveLength(0);
    const fine = Array.from({ length: LIMITS.cookies }, (_, i) => `c${i}=1`).join('; ');
    expect((await get('/api/health', `cookie: ${fine}\r\n`)).status).toBe(200);
  });

  it('refuses more header lines than any browser sends', async () => {
    const lines = Array.from({ length: LIMITS.headers + 1 }, (_, i) => `x-h${i}: 1\r\n`).join('');
    const a = await get('/api/health', lines);
    expect(a.status).toBe(431);
  });

  it('answers bad percent-encoding in a path with a JSON 400', async () => {
    seen = [];
    for (const target of ['/api/sales/%ff', '/api/sales/%zz', '/api/orders/%', '/sales/%E0%A4%A', '/admin/%c0']) {
      const a = await get(target);
      expect(a.status, target).toBe(400);
      expect(errorCode(a)).toBe('invalid_request');
    }
    expect(seen).toHaveLength(0);
  });

  it('answers unknown methods with 501, and non-GET on pages with 405 and Allow', async () => {
    const trace = await raw('TRACE /api/health HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\n\r\n');
    expect(trace.status).toBe(501);
    expect(errorCode(trace)).toBe('not_implemented');
    const post = await raw('POST /sales/x HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const star = await raw('OPTIONS * HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\n\r\n');
    expect(star.status).toBe(204);
    expect(star.headers.allow).toContain('GET');
  });

  it('keeps only the path of an absolute-form target (never its host)', async () => {
    seen = [];
    const a = await get('http://evil.example/api/health?x=1');
    expect(a.status).toBe(200);
    expect(seen[0].url).toBe('/api/health?x=1');
    expect(seen[0].headers.host).toBe('shop.test');
  });

  it('judges the path Next will serve: dot segments resolved, backslashes read as slashes', async () => {
    seen = [];
    const del = await raw('DELETE /api/../images/x.svg HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\n\r\n', { trickle: true });
    expect(del.status).toBe(405);
    const encoded = await raw('POST /api/%2e%2e/sales/x HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\ncontent-length: 0\r\n\r\n', { trickle: true });
    expect(encoded.status).toBe(405);
    await get('/api/sales/./x/../y?z=/../1');
    await get('/api\\health');
    expect(seen.map((r) => r.url)).toEqual(['/api/sales/y?z=/../1', '/api/health']);
    await get('//evil.example/../x');
    expect(seen[2].url).toBe('//x');
  });

  it("ignores a Range header that is no byte range, and keeps Next's own pages to itself", async () => {
    seen = [];
    await get('/images/x.svg', 'range: bytes=junk\r\n');
    await get('/images/x.svg', 'range: bytes=0-9, -5\r\n');
    await get('/_global-error');
    await get('/_next/static/x.js');
    expect(seen[0].headers.range).toBeUndefined();
    expect(seen[1].headers.range).toBe('bytes=0-9, -5');
    expect(seen.slice(2).map((r) => r.url)).toEqual([NO_SUCH_PAGE, '/_next/static/x.js']);
  });

  it('closes the connection after refusing a request whose body is still coming', async () => {
    const a = await raw(`POST /admin HTTP/1.1\r\nhost: shop.test\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\nabc`, { trickle: true });
    expect(a.status).toBe(405);
    expect(a.headers.connection).toBe('close');
  });

  it('drops forwarded and Next-internal headers a client sends when no proxy is trusted', async () => {
    seen = [];
    await get('/api/health', 'x-forwarded-host: evil.example\r\nx-forwarded-proto: https\r\nforwarded: host=evil\r\nx-middleware-subrequest: middleware\r\n');
    for (const h of ['x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'x-middleware-subrequest']) expect(seen[0].headers[h]).toBeUndefined();
    const trusting = createFrontGate({ trustedProxies: true });
    const req = { method: 'GET', url: '/', rawHeaders: [], headers: { 'x-forwarded-host': 'shop.example' } } as unknown as http.IncomingMessage;
    const res = { setHeader() {}, getHeader() {}, hasHeader() {} } as unknown as http.ServerResponse;
    trusting(req, res, () => {});
    expect(req.headers['x-forwarded-host']).toBe('shop.example');
  });

  it('refuses a declared body over the cap at once, and a chunked one as it passes the cap', async () => {
    seen = [];
    const declared = await raw(`POST /api/admin/sales HTTP/1.1\r\nhost: shop.test\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\nabc`, { trickle: true });
    expect(declared.status).toBe(413);
    expect(errorCode(declared)).toBe('payload_too_large');
    const chunk = 'x'.repeat(4_000);
    const chunked = `POST /api/admin/sales HTTP/1.1\r\nhost: shop.test\r\ntransfer-encoding: chunked\r\n\r\n${`fa0\r\n${chunk}\r\n`.repeat(5)}`;
    const cut = await raw(chunked, { trickle: true });
    expect(cut.status).toBe(413);
    expect(seen).toHaveLength(0);
    // Under the cap, a chunked body reaches the app whole.
    const small = await raw(`POST /api/session HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`);
    expect(small.status).toBe(200);
    expect(seen[0].body).toBe('hello world');
  });

  it('holds a body bound for the proxy, and forgets a client that hangs up mid-body', async () => {
    seen = [];
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /api/admin/sales HTTP/1.1\r\nhost: shop.test\r\ncontent-length: 100\r\n\r\n{"name"');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(0);
    const whole = await raw('POST /api/admin/sales HTTP/1.1\r\nhost: shop.test\r\nconnection: close\r\ncontent-length: 5\r\n\r\nhello', { trickle: true });
    expect(whole.status).toBe(200);
    expect(seen[0].body).toBe('hello');
  });

  it('sends an invented sale id to the plain 404 and lets a real one render', async () => {
    seen = [];
    await get('/sales/real-sale');
    await get('/sales/FLUSHALL');
    await get('/sales/no-such-sale?_rsc=1');
    await get('/sales/no-such-sale.rsc');
    expect(seen.map((s) => s.url)).toEqual(['/sales/real-sale', NO_SUCH_PAGE, NO_SUCH_PAGE, NO_SUCH_PAGE]);
    expect(salePageId('/sales/demo.segments/_tree.segment.rsc')).toBe('demo.segments');
    expect(salePageId('/sales/demo.rsc')).toBe('demo.rsc');
    expect(salePageId('/orders')).toBeNull();
  });

  it("gives an HTML page a policy with its inline scripts' hashes, compressed after hashing", async () => {
    const a = await get('/page', 'accept-encoding: gzip\r\n');
    expect(a.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(a.headers['transfer-encoding'] === 'chunked' ? dechunk(a.body) : a.body).toString();
    expect(html).toBe(PAGE);
    const csp = a.headers['content-security-policy'];
    expect(hashesOfInlineScripts(PAGE)).toHaveLength(2);
    for (const h of hashesOfInlineScripts(PAGE)) expect(csp).toContain(`'sha256-${h}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline\'; script');
  });

  it('sends no policy with a 304, whose headers would replace the cached page\'s', async () => {
    const a = await get('/cached-page');
    expect(a.status).toBe(304);
    expect(a.headers['content-security-policy']).toBeUndefined();
    expect(a.headers['x-frame-options']).toBe('DENY');
  });
});
