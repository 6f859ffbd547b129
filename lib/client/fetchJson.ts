// The browser's one way to call the API. lib/client holds what only the browser runs: this,
// the shopper's session hint, the buy button's purchase logic and the SWR hooks (use*.ts);
// components render what the hooks give them.

/** An answer that was not a 2xx, read from the API's `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Retry-After in whole seconds, when the answer gave a usable one. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown } | null } | null;

/** The one error parser: a body that is not the API's shape (a proxy's HTML page) still gives an HttpError. */
export async function readApiError(res: Response): Promise<HttpError> {
  const error = ((await res.json().catch(() => null)) as ErrorBody)?.error;
  const wait = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
  return new HttpError(
    res.status,
    typeof error?.code === 'string' ? error.code : 'internal',
    typeof error?.message === 'string' ? error.message : res.statusText,
    wait > 0 ? wait : null,
  );
}

type Options = {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  cache?: RequestCache;
};

/**
 * The parsed JSON body (null for an empty one), or a thrown HttpError; a failed fetch throws
 * as fetch does (no answer came). With a URL alone it is SWR's fetcher.
 */
export async function fetchJson<T>(url: string, { method = 'GET', body, headers, cache }: Options = {}): Promise<T> {
  const res = await fetch(url, {
    method,
    cache,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await readApiError(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}
