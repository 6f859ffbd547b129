// The front gate: what every request passes in the web process before Next.js sees it.
//
// Next parses cookies, buffers bodies for the proxy (up to 10 MB), and renders and caches a
// page for any path that fits a dynamic route, all before the app's own checks run. A stranger
// could use that to burn CPU (a Cookie header of 1,500 pairs costs ~1 s), hold memory (slow
// 10 MiB uploads) or fill the disk (a cached 404 per invented sale id). The gate refuses such
// requests cheaply, with the contract's JSON errors, and adds the security headers.
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { hashesOfInlineScripts, contentSecurityPolicy, SECURITY_HEADERS, API_CSP } from './security-headers.mjs';

export const LIMITS = {
  /** Cookies in one request: the shop sets two; a browser may carry a few more of its own. */
  cookies: 50,
  /** Bytes of the Cookie header(s). */
  cookieBytes: 8 * 1024,
  /** Header lines in one request. */
  headers: 100,
  /** Bytes of the request target (path and query). */
  targetBytes: 4 * 1024,
  /** Bytes of a request body, the same cap as the route handlers' (lib/http/body.ts). */
  bodyBytes: 16 * 1024,
};

/** Methods any route may have; anything else (TRACE, CONNECT, WebDAV's) is never served. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALL_ALLOWED = 'GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE';
/** Pages and static files are read-only: no server actions, no form posts. */
const PAGE_METHODS = new Set(['GET', 'HEAD']);

/** Headers only a proxy we trust, or Next itself, may set. */
const FORWARDED_HEADERS = ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded'];
const NEXT_INTERNAL_HEADERS = ['x-middleware-subrequest', 'x-invoke-path', 'x-invoke-query', 'x-invoke-output', 'x-invoke-status', 'x-invoke-error', 'x-matched-path'];

/** Where an invented sale id, and Next's own pages, are sent: a path no route matches, so Next serves its prebuilt 404. */
export const NO_SUCH_PAGE = '/_flashgate/no-such-sale';

export class Refusal {
  constructor(status, code, message, headers = {}) {
    Object.assign(this, { status, code, message, headers });
  }
}

const refuse = (status, code, message, headers) => new Refusal(status, code, message, headers);

/** The request target as origin-form (`/path?query`), or a Refusal. */
export function originForm(target) {
  if (target.length > LIMITS.targetBytes) return refuse(414, 'uri_too_long', `Request targets are limited to ${LIMITS.targetBytes} bytes`);
  if (target.startsWith('/')) return withoutDotSegments(target);
  // An absolute-form target (`GET http://evil.example/admin`) is meant for proxies; its host is
  // never trusted (a redirect would go there), only its path is kept.
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return `${url.pathname}${url.search}`;
    } catch {
      return refuse(400, 'invalid_request', 'The request target is not a valid URL');
    }
  }
  return refuse(400, 'invalid_request', 'The request target must be a path');
}

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/**
 * The path with `.`/`..` segments (also `%2e`) resolved and `\` read as `/`, as Next would
 * read it: the gate must judge the path Next serves (`DELETE /api/../images/x` is a page's).
 */
function withoutDotSegments(target) {
  const end = target.indexOf('?');
  const pathname = end === -1 ? target : target.slice(0, end);
  if (!pathname.includes('\\') && !DOT_SEGMENT.test(pathname)) return target;
  try {
    return new URL(`http://gate${pathname}`).pathname + (end === -1 ? '' : target.slice(end));
  } catch {
    return refuse(400, 'invalid_request', 'The request target is not a valid path');
  }
}

/** A byte range as RFC 9110 writes it; anything else is ignored, as the RFC allows. */
const RANGE = /^bytes=(\d+-\d*|-\d+)(\s*,\s*(\d+-\d*|-\d+)){0,4}$/;

/** Next's own pages (`/_global-error`, `/_not-found`) are not for strangers; `/_next/` files are. */
const INTERNAL_PAGE = /^\/_(?!next\/)/;

/** Refusal for a path whose percent-encoding is broken (`%ff`, `%zz`, a lone `%`). */
function checkPathEncoding(path) {
  const end = path.indexOf('?');
  const pathname = end === -1 ? path : path.slice(0, end);
  if (!pathname.includes('%')) return null;
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    return refuse(400, 'invalid_request', 'The path has malformed percent-encoding');
  }
}

/** Cookie pairs and bytes across every Cookie header (HTTP/2 may split them). */
function cookieLoad(rawHeaders) {
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length !== 6 || rawHeaders[i].toLowerCase() !== 'cookie') continue;
    const value = rawHeaders[i + 1];
    bytes += value.length;
    for (let at = value.indexOf(';'); at !== -1; at = value.indexOf(';', at + 1)) count++;
    count++;
  }
  return { count, bytes };
}

function checkHeaders(rawHeaders) {
  if (rawHeaders.length / 2 > LIMITS.headers) {
    return refuse(431, 'headers_too_large', `Requests are limited to ${LIMITS.headers} header lines`);
  }
  const cookies = cookieLoad(rawHeaders);
  if (cookies.count > LIMITS.cookies || cookies.bytes > LIMITS.cookieBytes) {
    return refuse(431, 'headers_too_large', `Requests are limited to ${LIMITS.cookies} cookies and ${LIMITS.cookieBytes} bytes of cookies`);
  }
  return null;
}

function checkMethod(method, path) {
  if (!KNOWN_METHODS.has(method)) return refuse(501, 'not_implemented', `${method} is not supported`, { allow: ALL_ALLOWED });
  if (!path.startsWith('/api/') && !PAGE_METHODS.has(method)) {
    return refuse(405, 'method_not_allowed', `${method} is not allowed on pages`, { allow: 'GET, HEAD' });
  }
  return null;
}

const tooLarge = () => refuse(413, 'payload_too_large', `Request bodies are limited to ${LIMITS.bodyBytes} bytes`);

/**
 * Everything the gate can decide from the request line and headers: a Refusal, or null to go
 * on. May rewrite `req.url` (absolute-form) and drop headers a client must not set.
 */
export function screenRequest(req, { trustedProxies }) {
  if (req.method === 'OPTIONS' && req.url === '*') return refuse(204, '', '', { allow: ALL_ALLOWED });
  const path = originForm(req.url);
  if (path instanceof Refusal) return path;
  req.url = path;
  const refusal = checkHeaders(req.rawHeaders) ?? checkPathEncoding(path) ?? checkMethod(req.method, path);
  if (refusal) return refusal;
  if (Number(req.headers['content-length'] ?? 0) > LIMITS.bodyBytes) return tooLarge();
  const h = req.headers;
  if (!trustedProxies) for (const name of FORWARDED_HEADERS) delete h[name];
  for (const name of NEXT_INTERNAL_HEADERS) delete h[name];
  if (h.range !== undefined && !RANGE.test(h.range)) delete h.range;
  if (INTERNAL_PAGE.test(path)) req.url = NO_SUCH_PAGE;
  return null;
}

/**
 * What a shopper page path names as its sale id (`/sales/<id>`, decoded), null for other paths.
 * Next also renders `/sales/<id>.rsc` and segment paths, each into a cache entry of its own;
 * the browser never asks for them, and `demo.rsc` is no sale id, so they end at the 404.
 */
export function salePageId(path) {
  if (!path.startsWith('/sales/')) return null;
  const segment = path.slice('/sales/'.length).split(/[/?]/, 1)[0];
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

export function sendRefusal(res, refusal) {
  if (res.headersSent) return;
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': API_CSP, 'cache-control': 'no-store', ...refusal.headers };
  if (refusal.status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  // A refused body is not read: close the connection rather than drain what the client sends.
  const req = res.req;
  const bodyPending = req && !req.complete && (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0);
  const closing = bodyPending || [400, 413, 414, 431].includes(refusal.status);
  res.writeHead(refusal.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(closing ? { connection: 'close' } : {}),
  });
  res.end(body, () => {
    if (closing) res.socket?.destroySoon?.();
  });
}

/**
 * Bodies the gate holds, up to the cap, before Next gets the request:
 * - a body sent without Content-Length (chunked): Next would buffer up to 10 MB of it for the
 *   proxy. Browsers and the shop's own clients always send Content-Length, so only odd clients
 *   wait for this;
 * - any body to a path the proxy (proxy.ts) sees: Next copies it for the proxy, and a client
 *   that hangs up mid-body makes that copy log an error no route can catch.
 * A client that hangs up while its body is held is simply forgotten.
 */
function mustHoldBody(req) {
  const length = req.headers['content-length'];
  if (length === undefined) return req.headers['transfer-encoding'] !== undefined;
  return length !== '0' && (req.url.startsWith('/admin') || req.url.startsWith('/api/admin'));
}

function holdBody(req, res, next) {
  const chunks = [];
  let size = 0;
  const push = req.push;
  req.push = function (chunk, encoding) {
    if (chunk === null) {
      req.push = push;
      for (const c of chunks) push.call(req, c);
      push.call(req, null);
      next();
      return false;
    }
    size += chunk.length;
    if (size > LIMITS.bodyBytes) {
      req.push = () => true; // the rest is dropped; the connection closes after the answer
      sendRefusal(res, tooLarge());
      return true;
    }
    chunks.push(encoding && typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    return true;
  };
}

const require = createRequire(import.meta.url);

/**
 * Compression runs here rather than in Next (`compress: false` in next.config.js), so that the
 * Content-Security-Policy of an HTML page can be computed from its uncompressed inline scripts.
 */
function loadCompression() {
  try {
    return require('next/dist/compiled/compression')();
  } catch {
    return null;
  }
}

/**
 * HTML pages carry inline scripts (Next's bootstrap and flight data) that vary by page and by
 * revalidation, so the policy lists their SHA-256 hashes: the page is held until its end (the
 * shop's pages are small and mostly served from the cache), hashed, then sent.
 */
function withPagePolicy(res) {
  const { write, end, flushHeaders } = res;
  let held = null;
  const isHtml = () => /^text\/html/i.test(String(res.getHeader('content-type') ?? ''));
  const holding = () => (held ??= isHtml() ? [] : false);
  res.flushHeaders = function () {
    if (!holding()) flushHeaders.call(res);
  };
  res.write = function (chunk, encoding, cb) {
    if (!holding() || res.headersSent) return write.call(res, chunk, encoding, cb);
    held.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8'));
    if (typeof encoding === 'function') encoding();
    else if (typeof cb === 'function') cb();
    return true;
  };
  res.end = function (chunk, encoding, cb) {
    if (typeof chunk === 'function') [chunk, cb] = [undefined, chunk];
    else if (typeof encoding === 'function') [encoding, cb] = [undefined, encoding];
    // A 304's headers replace the cached page's: no policy, rather than one without its hashes.
    if (res.statusCode === 304 && !res.headersSent) res.removeHeader('content-security-policy');
    if (!holding() || res.headersSent || res.statusCode === 304) return end.call(res, chunk, encoding, cb);
    if (chunk) res.write(chunk, encoding);
    const html = Buffer.concat(held);
    res.setHeader('content-security-policy', contentSecurityPolicy(hashesOfInlineScripts(html.toString('utf8'))));
    if (res.hasHeader('content-length')) res.setHeader('content-length', html.length);
    return end.call(res, html, cb);
  };
}

/**
 * The gate as a request dispatcher: `createFrontGate(options)(req, res, next)` answers a
 * refused request itself and calls `next()` (Next's own handler) for the rest.
 *
 * options.trustedProxies: TRUSTED_PROXY_HOPS > 0 (forwarded headers are then believed).
 * options.saleExists: (id) => Promise<boolean>, or undefined while the app has not set it up.
 */
export function createFrontGate({ trustedProxies = false, saleExists = () => undefined } = {}) {
  const compress = loadCompression();
  return function gate(req, res, next) {
    const refusal = screenRequest(req, { trustedProxies });
    if (refusal) return sendRefusal(res, refusal);
    for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]);
    const api = req.url.startsWith('/api/');
    res.setHeader('content-security-policy', API_CSP);
    compress?.(req, res, () => {});
    if (!api) withPagePolicy(res);
    const go = () => routeSalePage(req, res, next, saleExists);
    if (mustHoldBody(req)) holdBody(req, res, go);
    else go();
  };
}

/** Only the ids of real sales reach the sale page (rendering it writes a cache entry). */
function routeSalePage(req, res, next, saleExists) {
  const id = salePageId(req.url);
  if (id === null) return next();
  const known = saleExists(id);
  if (known === undefined) return next();
  Promise.resolve(known).then(
    (exists) => {
      if (!exists) req.url = NO_SUCH_PAGE;
      next();
    },
    () => sendRefusal(res, refuse(503, 'unavailable', 'The shop is unavailable, try again shortly')),
  );
}

/**
 * Requests Node's parser rejects (a header section over 16 KiB, bytes HTTP forbids) get the
 * same JSON errors as the gate's, instead of Node's bare text, and the connection closes.
 */
export function answerClientError(err, socket) {
  if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request took too long to arrive']
        : [400, 'invalid_request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
