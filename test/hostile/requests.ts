// Hostile HTTP requests as fast-check arbitraries: every route and method, broken paths,
// hostile headers, junk bodies and lying framing. A generated request is symbolic (real ids,
// tokens and long fillers are placeholders), so a counterexample prints short and replays the
// same against a new run's sales; `resolve` turns it into the exact bytes to send.
import fc from 'fast-check';
import type { RawRequest } from './rawHttp';

/** What the placeholders stand for in one run. */
export type Ctx = {
  host: string;
  live: string;
  scheduled: string;
  soldOut: string;
  order: string;
  shopper: string;
  /** more signed-in shoppers, for purchases past the per-shopper limit: `{{shopper:N}}` */
  shoppers: string[];
  admin: string;
  token: string;
};

export type Framing = 'length' | 'none' | 'short' | 'zero' | 'long' | 'junk' | 'dup-same' | 'dup-diff' | 'chunked' | 'chunked-bad' | 'chunked+length';

export type Spec = {
  method: string;
  /** The route template it was made from (for grouping failures). */
  route: string;
  target: string;
  headers: [string, string][];
  /** latin1 (one char per byte); may hold `{{pad:N}}` */
  body: string | null;
  framing: Framing;
  /** junk header lines added at send time */
  junkHeaders: number;
  /** what was done to it, for grouping failures */
  tags: string[];
};

export const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

// --- paths -------------------------------------------------------------------------------

/** Every page, route handler and static path of the app (app/**), the ones announced by
 * the contract but not built yet, and a few that must not exist. */
export const ROUTES = [
  '/', '/sales/{S}', '/orders', '/admin', '/admin/login', '/admin/sales/{S}',
  '/api/health', '/api/sales', '/api/sales/{S}', '/api/sales/{S}/orders', '/api/sales/{S}/queue',
  '/api/orders/{O}', '/api/orders/{O}/pay', '/api/orders/{O}/cancel', '/api/me/orders',
  '/api/session', '/api/challenge', '/api/admin/session', '/api/admin/sales', '/api/admin/sales/{S}',
  '/api/admin/sales/{S}/{C}', '/api/admin/sales/{S}/stats', '/api/admin/sales/{S}/audit', '/api/admin/sync',
  '/api/bench/floor', '/api/bench/naive-purchase/{S}',
  '/_next/image?url={IMG}&w={W}&q={Q}', '/images/demo-sneaker.svg', '/images/placeholder.svg', '/images/{X}',
  '/_next/static/{X}', '/_next/static/chunks/{X}.js', '/_next/data/{X}/index.json', '/icon.svg', '/favicon.ico',
  '/robots.txt', '/_not-found', '/_global-error', '/api', '/api/{X}', '/api/{X}/{X}', '/{X}', '/{X}/{X}/{X}',
  '/sales', '/sales/{S}/{X}', '/admin/sales', '/admin/{X}', '/index', '/index.html', '/sales/{S}.rsc', '/sales/{S}.html',
  '/.env', '/.next/BUILD_ID', '/server.js', '/package.json', '/_next/{X}',
] as const;

const utf8AsLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const PRINTABLE = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:@%[]'];

/** A path segment meant to break a router or a decoder. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '%ff', '%zz', '%', '%0', '%00', '%0d%0a', '%0d%0aSet-Cookie:%20x=1', '..', '.', '%2e%2e', '%2e', '%2f', '%5c', '%c0%af',
      '%e2%80%ae', '%25', '%u0041', '%%', '%252e%252e', '~', '\\', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2f.env', 'con',
      '__proto__', 'constructor', 'prototype', '[saleId]', '[...path]', '(shop)', '(console)', '@modal', '%5BsaleId%5D', '_rsc',
      'page', 'route', 'index', 'default', '_next', 'api', 'null', 'undefined', 'NaN', '0', '-1', '1e9', 'a'.repeat(41),
      'AbC', '-abc', 'ab_cd', 'sale.x', '%20', '+', ';', ';jsessionid=1', '%3b', '%3f', '%23', '*', '%2a', '&', '=',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => `{{pad:${n}}}`) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map(utf8AsLatin1) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...PRINTABLE), minLength: 1, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => Buffer.from(b).toString('latin1')) },
);

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

const saleRef = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('{{live}}', '{{scheduled}}', '{{soldout}}') },
  { weight: 3, arbitrary: hex(16) }, // a well-formed id of no sale
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/) },
  { weight: 3, arbitrary: hostileSegment },
);

const orderRef = fc.oneof(
  { weight: 6, arbitrary: fc.constant('{{order}}') },
  { weight: 2, arbitrary: hex(16).map((h) => `{{live}}.${h}0000000000`) }, // well-formed, nobody's
  { weight: 1, arbitrary: fc.constant('{{order}}x') },
  { weight: 2, arbitrary: hostileSegment },
);

const commandRef = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('start', 'pause', 'resume', 'end') },
  { weight: 1, arbitrary: fc.constantFrom('stats', 'audit', 'START', 'delete', 'sync') },
  { weight: 1, arbitrary: hostileSegment },
);

const imageUrl = fc.constantFrom(
  '%2Fimages%2Fdemo-sneaker.svg', '/images/placeholder.svg', '%2Fimages%2Fnope.png', 'http%3A%2F%2Fevil.example%2Fa.png',
  'https%3A%2F%2Fevil.example%2Fa.png', '%2F%2Fevil.example%2Fa.png', '%2Fapi%2Fhealth', '%2F_next%2Fimage%3Furl%3D%252Fimages%252Fdemo-sneaker.svg%26w%3D64%26q%3D75',
  '%2F..%2F..%2Fetc%2Fpasswd', '', '%ff', 'data%3Aimage%2Fpng%3Bbase64%2CAAAA', 'file%3A%2F%2F%2Fetc%2Fpasswd', '%2Ficon.svg',
);

const filledRoute = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    S: saleRef,
    O: orderRef,
    C: commandRef,
    X: hostileSegment,
    IMG: imageUrl,
    W: fc.constantFrom('16', '64', '640', '3840', '0', '-1', '99999', 'abc', '', '1e3'),
    Q: fc.constantFrom('75', '100', '1', '0', '101', 'abc', ''),
  })
  .map(({ route, ...p }) => ({ route, target: route.replace(/\{(S|O|C|X|IMG|W|Q)\}/g, (_, k: keyof typeof p) => p[k]) }));

type PathChange = { tag: string; apply: (target: string) => string };

const pathChanges: fc.Arbitrary<PathChange | null> = fc.oneof(
  { weight: 14, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: hostileSegment.map((seg) => ({
      tag: 'path:segment',
      apply: (t: string) => {
        const parts = t.split('/');
        parts[Math.max(1, parts.length - 1)] = seg;
        return parts.join('/');
      },
    })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('/', '//', '/..', '/.', ';x=1', '%20', '#frag', '/%2e%2e', '/index', '.json', '.txt', '/../admin', '%00', '%ff')
      .map((s) => ({ tag: 'path:suffix', apply: (t: string) => (t.includes('?') ? t.replace('?', `${s}?`) : t + s) })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('//', '/./', '/%2e/', '/%2f', '///', '/\\', '/.././', '/api/../')
      .map((p) => ({ tag: 'path:prefix', apply: (t: string) => p + t.replace(/^\//, '') })),
  },
  { weight: 1, arbitrary: fc.constant({ tag: 'path:upper', apply: (t: string) => t.toUpperCase() }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        '_rsc=1', '__nextDataReq=1', 'a=%ff', '__proto__[x]=1', 'x={{pad:6000}}', 'next=http://evil.example', 'next=//evil.example',
        '__nextLocale=x', '_next_intercept=1', 'nxtPsaleId={{live}}', 'nxtPsaleId=zzzz', 'saleId=../x', 'a=1&a=2&a[]=3',
        '%', '&&&', '=', 'url=http://evil.example', 'w=640&q=75', '__nextDefaultLocale=x', 'amp=1', '_vercel_jwt=x',
      )
      .map((q) => ({ tag: 'path:query', apply: (t: string) => `${t}${t.includes('?') ? '&' : '?'}${q}` })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        'http://evil.example', 'https://evil.example:443', 'http://{{host}}', 'http://user:pw@evil.example', 'HTTP://EVIL.EXAMPLE',
        'http://[::1]', 'http://evil.example:99999', 'ftp://evil.example', 'http://', 'javascript:alert(1)//', 'http://127.0.0.1:1',
      )
      .map((origin) => ({ tag: 'path:absolute-form', apply: (t: string) => origin + t })),
  },
  { weight: 1, arbitrary: fc.constantFrom('*', '', '?', 'evil.example:443', 'index.html').map((t) => ({ tag: `path:whole=${t || 'empty'}`, apply: () => t })) },
);

// --- methods -----------------------------------------------------------------------------

const ODD_METHODS = [
  'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'PURGE', 'REPORT',
  'MKACTIVITY', 'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LINK', 'UNLINK', 'SOURCE', 'QUERY',
  'ACL', 'BIND', 'REBIND', 'UNBIND', 'MKCALENDAR', 'get', 'post', 'Get', 'FOO', 'GETS', 'DELET', 'G\tET', 'BREW', 'PRI',
];

export const method: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.constant('GET') },
  { weight: 16, arbitrary: fc.constant('POST') },
  { weight: 7, arbitrary: fc.constant('HEAD') },
  { weight: 6, arbitrary: fc.constant('PUT') },
  { weight: 9, arbitrary: fc.constant('PATCH') },
  { weight: 7, arbitrary: fc.constant('DELETE') },
  { weight: 6, arbitrary: fc.constant('OPTIONS') },
  { weight: 3, arbitrary: fc.constant('TRACE') },
  { weight: 6, arbitrary: fc.constantFrom(...ODD_METHODS) },
);

// --- headers -----------------------------------------------------------------------------

const hostHeaders = fc.oneof(
  { weight: 24, arbitrary: fc.constant(['{{host}}']) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string[]>(
      [], ['evil.example'], [''], ['localhost'], ['127.0.0.1:1'], ['{{host}}:junk'], ['{{pad:300}}'], ['{{host}}', 'evil.example'],
      ['{{host}}', '{{host}}'], ['evil.example/admin'], ['[::1]'], ['{{host}}\u00ff'],
    ),
  },
);

const authorization = fc.constantFrom(
  'Bearer {{token}}', 'Bearer {{token}}', 'Bearer {{token}}', 'Bearer junk', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer {{token}}',
  'Bearer {{token}}x', 'Bearer {{token}} extra', 'Bearer {{pad:4000}}', 'Token {{token}}', '{{token}}', 'Bearer %ff', 'Bearer \u00ff\u00fe',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
);

const cookie = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'fg_session={{shopper}}', 'fg_session={{shopper}}', 'fg_admin={{admin}}', 'fg_session={{shopper}}; fg_admin={{admin}}', 'fg_session=junk',
      'fg_session={{shopper}}x', 'fg_admin=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', 'fg_session=', '=; ;;', 'fg_session=%ff',
      'fg_session="{{shopper}}"', '__proto__=1; constructor=2', 'fg_session={{shopper}}; fg_session=junk', 'fg_admin={{admin}}; fg_admin=',
      'fg_session=\u00ff\u00fe', 'a'.repeat(100),
    ),
  },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 1_600 }).map((n) => `{{cookies:${n}}}; fg_session={{shopper}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `big={{pad:${n}}}`) },
);

const contentType = fc.constantFrom(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON',
  'application/json;charset=utf-16', 'application/jsonx', 'text/plain', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=----x',
  'multipart/form-data', 'application/x-www-form-urlencoded', 'application/x-protobuf', '', '*/*', 'application/json, text/plain',
  'application/merge-patch+json', '{{pad:3000}}', 'text/x-component',
);

const forwarding = fc.subarray<[string, string]>([
  ['X-Forwarded-Host', 'evil.example'], ['X-Forwarded-Host', '{{host}}'], ['X-Forwarded-Host', 'evil.example, {{host}}'],
  ['X-Forwarded-Host', '%ff'], ['X-Forwarded-For', '203.0.113.9'], ['X-Forwarded-For', 'junk, ::1, 10.0.0.1'],
  ['X-Forwarded-For', '{{pad:3000}}'], ['X-Forwarded-Proto', 'https'], ['X-Forwarded-Proto', 'gopher'], ['X-Forwarded-Port', '99999'],
  ['Forwarded', 'for=1.2.3.4;host=evil.example;proto=https'], ['X-Real-IP', '1.2.3.4'], ['X-Original-URL', '/admin'],
  ['X-Rewrite-URL', '/admin'],
], { maxLength: 4 });

const origin = fc.constantFrom('http://{{host}}', 'http://evil.example', 'null', 'junk', 'https://{{host}}', 'http://{{host}}.evil.example', '');

const idempotencyKey = fc.oneof(
  fc.constantFrom('', ' ', 'a', '\u00ff\u00fe', 'x'.repeat(101), '{{pad:5000}}', '%00', '"; DROP TABLE orders; --', '\t', 'k k'),
  fc.uuid(),
  fc.string({ maxLength: 120 }),
);

const nextInternals = fc.subarray<[string, string]>([
  ['RSC', '1'], ['Next-Router-State-Tree', '%5B%22%22%2C%7B%7D%5D'], ['Next-Router-State-Tree', '%%junk'], ['Next-Router-Prefetch', '1'],
  ['Next-Router-Segment-Prefetch', '/_tree'], ['Next-Action', 'deadbeef'], ['Next-Action', '{{pad:200}}'], ['Next-Url', '/admin'],
  ['x-middleware-subrequest', 'middleware:middleware:middleware:middleware:middleware'], ['x-middleware-subrequest', 'src/middleware'],
  ['x-nextjs-data', '1'], ['x-invoke-path', '/admin'], ['x-invoke-query', '%7B%7D'], ['x-invoke-output', '/admin'],
  ['x-matched-path', '/admin/sales/[saleId]'], ['x-prerender-revalidate', 'junk'], ['x-prerender-revalidate-if-generated', '1'],
  ['x-now-route-matches', 'nxtPsaleId=zzzz'], ['x-middleware-prefetch', '1'], ['Purpose', 'prefetch'], ['x-nextjs-postponed', '1'],
  ['x-next-revalidate-tag-token', 'x'], ['x-next-revalidated-tags', 'sale:{{live}}'], ['x-deployment-id', 'x'], ['next-resume', '1'],
], { maxLength: 4 });

const misc = fc.subarray<[string, string]>([
  ['Expect', '100-continue'], ['Upgrade', 'websocket'], ['Upgrade', 'h2c'], ['Connection', 'Upgrade, close'], ['Range', 'bytes=0-0'],
  ['Range', 'bytes=junk'], ['Range', 'bytes={{ranges:500}}'], ['If-None-Match', '*'], ['If-Modified-Since', 'junk'], ['Accept', 'text/x-component'],
  ['Accept', 'text/html'], ['Accept', '{{pad:2000}}'], ['Accept-Encoding', 'gzip, br, zstd'], ['Accept-Encoding', '{{pad:2000}}'],
  ['Accept-Language', 'xx-\u00ff'], ['Cache-Control', 'no-cache'], ['Pragma', 'no-cache'], ['X-HTTP-Method-Override', 'DELETE'],
  ['User-Agent', ''], ['Referer', 'http://evil.example/'], ['TE', 'trailers'], ['Max-Forwards', '0'], ['Via', '1.1 evil'],
  ['Content-Encoding', 'gzip'], ['Content-Encoding', 'br'], ['Sec-Fetch-Site', 'cross-site'], ['Sec-Fetch-Site', 'same-origin'],
  ['Sec-Fetch-Site', 'junk'], ['X-Bad', 'a\u0000b'], ['X Bad', 'space in name'], ['X-Latin', '\u00ff\u00fe'], ['Content-Type', 'text/plain'],
  ['Authorization', 'Bearer junk'], ['Cookie', 'fg_session=junk'], ['Host', 'evil.example'],
], { maxLength: 4 });

/** Header names in odd case now and then, as a client may send them. */
const nameCase = fc.constantFrom<(s: string) => string>((s) => s, (s) => s, (s) => s, (s) => s.toLowerCase(), (s) => s.toUpperCase());

const headers = fc
  .record({
    host: hostHeaders,
    authorization: fc.option(fc.array(authorization, { minLength: 1, maxLength: 2 }), { freq: 2 }),
    cookie: fc.option(fc.array(cookie, { minLength: 1, maxLength: 3 }), { freq: 2 }),
    contentType: fc.option(fc.array(contentType, { minLength: 1, maxLength: 2 }), { freq: 3 }),
    forwarding: fc.option(forwarding, { freq: 3 }),
    origin: fc.option(origin, { freq: 3 }),
    idempotencyKey: fc.option(fc.array(idempotencyKey, { minLength: 1, maxLength: 2 }), { freq: 3 }),
    nextInternals: fc.option(nextInternals, { freq: 4 }),
    misc: fc.option(misc, { freq: 3 }),
    junkHeaders: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 160 }) }),
    nameCase,
  })
  .map((h) => {
    const list: [string, string][] = [];
    const tags: string[] = [];
    const add = (tag: string, name: string, values: string[] | null) => {
      if (!values) return;
      tags.push(values.length > 1 ? `${tag}×${values.length}` : tag);
      for (const v of values) list.push([h.nameCase(name), v]);
    };
    if (h.host.length !== 1 || h.host[0] !== '{{host}}') tags.push(`host:${h.host.length === 0 ? 'none' : h.host.join('+').slice(0, 30)}`);
    for (const v of h.host) list.push([h.nameCase('Host'), v]);
    add('authorization', 'Authorization', h.authorization);
    add('cookie', 'Cookie', h.cookie);
    if (h.cookie?.some((c) => c.includes('{{cookies:'))) tags.push('cookie:many');
    if (h.cookie?.some((c) => c.startsWith('big='))) tags.push('cookie:huge');
    add('content-type', 'Content-Type', h.contentType);
    if (h.forwarding?.length) {
      tags.push('forwarding');
      list.push(...h.forwarding);
    }
    add('origin', 'Origin', h.origin === null ? null : [h.origin]);
    add('idempotency-key', 'Idempotency-Key', h.idempotencyKey);
    if (h.nextInternals?.length) {
      tags.push(...h.nextInternals.map(([k]) => `next:${k.toLowerCase()}`));
      list.push(...h.nextInternals);
    }
    if (h.misc?.length) {
      tags.push(...h.misc.map(([k]) => `misc:${k.toLowerCase()}`));
      list.push(...h.misc);
    }
    if (h.junkHeaders > 0) tags.push(h.junkHeaders > 100 ? 'headers:100+' : 'headers:many');
    return { headers: list, junkHeaders: h.junkHeaders, tags };
  });

// --- bodies ------------------------------------------------------------------------------

const when = fc.oneof(
  fc.date({ min: new Date('1999-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-13-45', 'now', '', '0', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'),
  fc.integer(),
  fc.constant(null),
);

/** Bodies shaped like a real one for some route, with values of every kind. */
const plausible = fc.oneof(
  fc.record({ quantity: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.double(), fc.constantFrom('1', null, true, [1], 1e309, 2 ** 53 + 1)) }, { requiredKeys: [] }),
  fc.record({ email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 300 }), fc.constant(null)) }),
  fc.record({ password: fc.oneof(fc.string({ maxLength: 600 }), fc.constant(null)) }),
  fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 130 }), fc.constant('Fuzz sale')),
      description: fc.string({ maxLength: 50 }),
      imageUrl: fc.constantFrom('/images/demo-sneaker.svg', 'javascript:alert(1)', 'https://evil.example/x.png', '//evil.example/x', '/../../etc/passwd'),
      priceCents: fc.oneof(fc.integer({ min: -1, max: 100_000_001 }), fc.double()),
      stock: fc.oneof(fc.integer({ min: -1, max: 1_000 }), fc.constant(10_000_001)),
      startsAt: when,
      endsAt: when,
      maxPerUser: fc.integer({ min: -1, max: 1_001 }),
      flag: fc.constantFrom('armed', 'ended'),
      id: fc.constantFrom('{{live}}', 'fuzz'),
    },
    { requiredKeys: [] },
  ),
  fc.record({ card: fc.record({ number: fc.string(), expMonth: fc.integer(), expYear: fc.integer(), cvc: fc.string() }, { requiredKeys: [] }) }, { requiredKeys: [] }),
).map((o) => JSON.stringify(o));

const body: fc.Arbitrary<{ body: string; tag: string }> = fc.oneof(
  { weight: 8, arbitrary: plausible.map((b) => ({ body: utf8AsLatin1(b), tag: 'body:plausible' })) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }).map((b) => ({ body: utf8AsLatin1(b), tag: 'body:json' })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 10, max: 12_000 }).chain((n) =>
      fc.constantFrom(
        { body: '['.repeat(n) + ']'.repeat(n), tag: 'body:deep' },
        { body: '{"a":'.repeat(n) + '1' + '}'.repeat(n), tag: 'body:deep' },
        { body: '['.repeat(n), tag: 'body:deep-unclosed' },
      ),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '{"quantity":1e309}', '{"quantity":123456789012345678901234567890}', '{"quantity":-0}', '{"quantity":1E400}', '{"quantity":0x10}',
      'null', 'true', '"x"', '[]', '{}', '[{"quantity":1}]', '{"quantity":"1"}', '{"quantity":null}', '{"quantity":{"$gt":0}}',
      '{"__proto__":{"quantity":5}}', '{"constructor":{"prototype":{"x":1}}}', '{"quantity":1,"quantity":2}', '{"quantity":1,"extra":1}',
      '{"email":"a@b.c","email":"x"}', '{"email":"\\ud800@x.io"}', '{"name":"\\u0000"}', '', ' ', 'NaN', '{"quantity":1', '\u00ef\u00bb\u00bf{}',
      '\u00ff\u00fe{\u0000}\u0000', '{"quantity":1}\u0000', '{"a":"\u00c0\u00af"}',
    ).map((b) => ({ body: b, tag: 'body:edge' })),
  },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => ({ body: Buffer.from(b).toString('latin1'), tag: 'body:bytes' })) },
  { weight: 2, arbitrary: fc.integer({ min: 16 * 1024 + 1, max: 64 * 1024 }).map((n) => ({ body: `{"name":"{{pad:${n}}}"}`, tag: 'body:16KiB+' })) },
  { weight: 1, arbitrary: fc.integer({ min: 15_000, max: 16 * 1024 - 12 }).map((n) => ({ body: `{"name":"{{pad:${n}}}"}`, tag: 'body:near-16KiB' })) },
);

const framing: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 30, arbitrary: fc.constant<Framing>('length') },
  { weight: 1, arbitrary: fc.constantFrom<Framing>('none', 'short', 'zero', 'long', 'junk', 'dup-same', 'dup-diff', 'chunked-bad', 'chunked+length') },
  { weight: 3, arbitrary: fc.constant<Framing>('chunked') },
);

// --- the request -------------------------------------------------------------------------

const hostileSpec: fc.Arbitrary<Spec> = fc
  .record({
    method,
    route: filledRoute,
    change: pathChanges,
    headers,
    body: fc.option(body, { freq: 2 }),
    framing,
  })
  .map(({ method: m, route, change, headers: h, body: b, framing: f }) => {
    const target = change ? change.apply(route.target) : route.target;
    const tags = [...h.tags];
    if (change) tags.push(change.tag);
    if (b) tags.push(b.tag);
    if (b && f !== 'length') tags.push(`framing:${f}`);
    if (!STANDARD_METHODS.has(m)) tags.push(`method:${m}`);
    return { method: m, route: route.route, target, headers: h.headers, body: b?.body ?? null, framing: b ? f : 'length', junkHeaders: h.junkHeaders, tags };
  });

/** A request a real client could send (credentials, a JSON body of the right shape or none),
 * so the routes' own code runs and not only the gate's refusals. */
const cleanSpec: fc.Arbitrary<Spec> = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'PATCH', 'DELETE', 'HEAD', 'PUT', 'OPTIONS'),
    route: filledRoute,
    credentials: fc.constantFrom<[string, string][]>(
      [], [['Authorization', 'Bearer {{token}}']], [['Cookie', 'fg_session={{shopper}}']], [['Cookie', 'fg_admin={{admin}}']],
      [['Cookie', 'fg_admin={{admin}}'], ['Origin', 'http://{{host}}']], [['Cookie', 'fg_session={{shopper}}'], ['Origin', 'http://{{host}}']],
    ),
    idempotencyKey: fc.option(fc.uuid(), { freq: 3 }),
    body: fc.option(plausible, { freq: 2 }),
  })
  .map(({ method: m, route, credentials, idempotencyKey, body: b }) => {
    const headers: [string, string][] = [['Host', '{{host}}'], ...credentials];
    if (idempotencyKey) headers.push(['Idempotency-Key', idempotencyKey]);
    if (b !== null) headers.push(['Content-Type', 'application/json']);
    return { method: m, route: route.route, target: route.target, headers, body: b === null ? null : utf8AsLatin1(b), framing: 'length' as const, junkHeaders: 0, tags: ['clean'] };
  });

/** A purchase as the shop's page makes it (some with an Idempotency-Key sent twice in a run),
 * so stock is really booked while the rest goes on and the reconciliation means something. */
const purchaseSpec: fc.Arbitrary<Spec> = fc
  .record({
    sale: fc.constantFrom('{{live}}', '{{live}}', '{{live}}', '{{soldout}}', '{{scheduled}}'),
    shopper: fc.nat(99),
    quantity: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 4 }),
    idempotencyKey: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { freq: 2 }),
    origin: fc.boolean(),
  })
  .map(({ sale, shopper, quantity, idempotencyKey, origin: withOrigin }) => {
    const headers: [string, string][] = [['Host', '{{host}}'], ['Cookie', `fg_session={{shopper:${shopper}}}`], ['Content-Type', 'application/json']];
    if (withOrigin) headers.push(['Origin', 'http://{{host}}']);
    if (idempotencyKey) headers.push(['Idempotency-Key', idempotencyKey]);
    const body = quantity === null ? '' : JSON.stringify({ quantity });
    return { method: 'POST', route: '/api/sales/{S}/orders', target: `/api/sales/${sale}/orders`, headers, body, framing: 'length' as const, junkHeaders: 0, tags: ['purchase'] };
  });

export const requestSpec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 4, arbitrary: cleanSpec },
  { weight: 1, arbitrary: purchaseSpec },
  { weight: 7, arbitrary: hostileSpec },
);

// --- to bytes ----------------------------------------------------------------------------

/** `{{cookies:N}}`: N short cookie pairs. */
const manyCookies = (n: number) => Array.from({ length: n }, (_, i) => `c${i.toString(36)}=${i % 10}`).join('; ');
const manyRanges = (n: number) => Array.from({ length: n }, (_, i) => `${i}-${i}`).join(',');

export function expand(s: string, ctx: Ctx): string {
  return s.replace(/\{\{(\w+)(?::(\d+))?\}\}/g, (whole, name: string, n?: string) => {
    switch (name) {
      case 'host': return ctx.host;
      case 'live': return ctx.live;
      case 'scheduled': return ctx.scheduled;
      case 'soldout': return ctx.soldOut;
      case 'order': return ctx.order;
      case 'shopper': return n === undefined ? ctx.shopper : ctx.shoppers[Number(n) % ctx.shoppers.length];
      case 'admin': return ctx.admin;
      case 'token': return ctx.token;
      case 'pad': return 'a'.repeat(Number(n));
      case 'cookies': return manyCookies(Number(n));
      case 'ranges': return manyRanges(Number(n));
      default: return whole;
    }
  });
}

export type Resolved = {
  raw: RawRequest;
  /** The server may end the connection without an answer (framing it cannot trust, CONNECT,
   * a body it refuses to read): not a failure by itself. */
  mayClose: boolean;
};

/** The exact request for a spec in this run. */
export function resolve(spec: Spec, ctx: Ctx): Resolved {
  const headers: [string, string][] = spec.headers.map(([k, v]) => [k, expand(v, ctx)]);
  for (let i = 0; i < spec.junkHeaders; i++) headers.push([`X-Junk-${i}`, `v${i}`]);
  const body = spec.body === null ? undefined : Buffer.from(expand(spec.body, ctx), 'latin1');
  let sent = body;
  let giveUpMs: number | undefined;
  if (body) {
    const n = body.length;
    switch (spec.framing) {
      case 'length': headers.push(['Content-Length', String(n)]); break;
      case 'none': break;
      case 'short': headers.push(['Content-Length', String(Math.floor(n / 2))]); break;
      case 'zero': headers.push(['Content-Length', '0']); break;
      case 'long': headers.push(['Content-Length', String(n + 10)]); giveUpMs = 1_500; break;
      case 'junk': headers.push(['Content-Length', n % 2 ? 'abc' : `-${n}`]); break;
      case 'dup-same': headers.push(['Content-Length', String(n)], ['Content-Length', String(n)]); break;
      case 'dup-diff': headers.push(['Content-Length', String(n)], ['Content-Length', String(n + 1)]); break;
      case 'chunked':
        headers.push(['Transfer-Encoding', 'chunked']);
        sent = Buffer.concat([chunked(body), Buffer.from('0\r\n\r\n')]);
        break;
      case 'chunked-bad':
        headers.push(['Transfer-Encoding', 'chunked']);
        sent = Buffer.concat([Buffer.from(`zz${n.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
        break;
      case 'chunked+length':
        headers.push(['Transfer-Encoding', 'chunked'], ['Content-Length', String(n)]);
        sent = Buffer.concat([chunked(body), Buffer.from('0\r\n\r\n')]);
        break;
    }
  }
  // An upgrade (`Upgrade: websocket` + `Connection: Upgrade`) the server does not take may be
  // dropped at once; one it holds open still fails (no answer within the timeout).
  const upgrade = headers.some(([k]) => k.toLowerCase() === 'upgrade') && headers.some(([k, v]) => k.toLowerCase() === 'connection' && /upgrade/i.test(v));
  const mayClose =
    (body !== undefined && spec.framing !== 'length' && spec.framing !== 'chunked') ||
    (body !== undefined && body.length > 16 * 1024) ||
    spec.method === 'CONNECT' ||
    upgrade;
  return { raw: { method: spec.method, target: expand(spec.target, ctx), headers, body: sent, giveUpMs }, mayClose };
}

/** The body in chunks of at most 4 KiB. */
function chunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += 4_096) {
    const piece = body.subarray(i, i + 4_096);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
