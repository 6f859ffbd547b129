// A tiny HTTP/1.1 client over node:net for hostile requests: it sends exactly the bytes it is
// given (fetch and undici normalise or refuse bad targets, duplicate or oversized headers,
// wrong Content-Length), one request per connection, and reads the answer up to a cap.
import net from 'node:net';

export type RawRequest = {
  method: string;
  /** The request target exactly as sent: origin-form, absolute-form, `*`, anything. */
  target: string;
  /** In order, duplicates allowed; values are written as latin1 bytes. */
  headers: [string, string][];
  body?: Buffer;
  /** Write the body in pieces this far apart (ms), to look like a slow client. */
  dribbleMs?: number;
  /** The framing promises more than is sent (or the server may legitimately cut the
   * connection before answering): stop waiting after this many ms and count it as `gave_up`. */
  giveUpMs?: number;
};

export type RawResponse = {
  /** The status code, or null when the connection ended without a status line. */
  status: number | null;
  /** `answered`, `closed` (ended without a status line), `reset` (ECONNRESET/EPIPE before
   * a status line), `gave_up` (giveUpMs passed, expected), `timeout` (timeoutMs passed). */
  outcome: 'answered' | 'closed' | 'reset' | 'gave_up' | 'timeout';
  /** The response head (status line and headers) as latin1, when one arrived. */
  head: string;
  /** The start of the response body (latin1), up to the read cap. */
  bodyPreview: string;
  /** ms from connect to the end of the response (or of the connection). */
  ms: number;
  /** ms from connect to the status line. */
  statusMs: number | null;
  error?: string;
};

export type SendOptions = { port: number; host?: string; timeoutMs?: number; maxBytes?: number };

/** The bytes of the request head, `Connection: close` added unless a Connection header is there. */
export function requestHead(req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  if (!req.headers.some(([name]) => name.toLowerCase() === 'connection')) lines.push('Connection: close');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** Send one request on a new connection and read the answer (at most maxBytes of it). */
export function sendRaw(req: RawRequest, { port, host = '127.0.0.1', timeoutMs = 10_000, maxBytes = 64 * 1024 }: SendOptions): Promise<RawResponse> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ port, host });
    const chunks: Buffer[] = [];
    let size = 0;
    let statusMs: number | null = null;
    let done = false;
    const timers: NodeJS.Timeout[] = [];

    const finish = (outcome: RawResponse['outcome'], error?: string) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      let raw = Buffer.concat(chunks).toString('latin1');
      // An interim answer (100 Continue to `Expect: 100-continue`) precedes the real one.
      while (/^HTTP\/1\.[01] 1(?!01)\d\d/.test(raw) && raw.includes('\r\n\r\n')) raw = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      const split = raw.indexOf('\r\n\r\n');
      resolve({
        status: status ? Number(status[1]) : null,
        outcome: status ? 'answered' : outcome,
        head: split >= 0 ? raw.slice(0, split) : raw.slice(0, 4_096),
        bodyPreview: split >= 0 ? raw.slice(split + 4, split + 4 + 2_048) : '',
        ms: performance.now() - started,
        statusMs,
        error,
      });
    };

    socket.on('data', (chunk: Buffer) => {
      if (statusMs === null) statusMs = performance.now() - started;
      if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
      size += chunk.length;
      if (size >= maxBytes) finish('answered');
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed', err.code ?? err.message),
    );
    timers.push(setTimeout(() => finish('timeout'), timeoutMs));
    if (req.giveUpMs !== undefined) timers.push(setTimeout(() => finish('gave_up'), req.giveUpMs));

    socket.once('connect', () => {
      socket.write(requestHead(req));
      const body = req.body;
      if (!body || body.length === 0) return;
      if (!req.dribbleMs) {
        socket.write(body);
        return;
      }
      // A slow client: 1 KiB pieces, dribbleMs apart, until the body is sent or the answer came.
      let offset = 0;
      const next = () => {
        if (done || socket.destroyed || offset >= body.length) return;
        socket.write(body.subarray(offset, offset + 1_024));
        offset += 1_024;
        timers.push(setTimeout(next, req.dribbleMs));
      };
      next();
    });
  });
}

/** One header value of a response head (the first), lower-cased name. */
export function responseHeader(head: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  return re.exec(head)?.[1]?.trim();
}

/** A request as a pasteable description: method, target, headers (long values cut), body preview. */
export function describeRequest(req: RawRequest): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  const headers = req.headers.length > 12
    ? [...req.headers.slice(0, 10).map(([k, v]) => `  ${k}: ${cut(v, 120)}`), `  … ${req.headers.length - 10} more headers`]
    : req.headers.map(([k, v]) => `  ${k}: ${cut(v, 120)}`);
  const body = req.body && req.body.length > 0 ? `  body (${req.body.length} bytes): ${JSON.stringify(cut(req.body.toString('latin1'), 160))}` : '';
  return [`${req.method} ${cut(JSON.stringify(req.target), 300)}`, ...headers, body].filter(Boolean).join('\n');
}
