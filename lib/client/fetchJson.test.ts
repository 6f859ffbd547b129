import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchJson, HttpError, readApiError } from '@/lib/client/fetchJson';

const json = (body: unknown, init: ResponseInit = {}) => new Response(JSON.stringify(body), init);

describe('readApiError', () => {
  it("reads the API's code, message and Retry-After", async () => {
    const err = await readApiError(json({ error: { code: 'rate_limited', message: 'Slow down' } }, { status: 429, headers: { 'retry-after': '2' } }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', message: 'Slow down', retryAfter: 2 });
  });

  it('still gives an HttpError for a body that is not the API\'s (a proxy\'s page, an odd shape)', async () => {
    const html = await readApiError(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));
    expect(html).toMatchObject({ status: 502, code: 'internal', message: 'Bad Gateway', retryAfter: null });
    const odd = await readApiError(json({ error: { code: 7, message: null } }, { status: 400, statusText: 'Bad Request' }));
    expect(odd).toMatchObject({ code: 'internal', message: 'Bad Request' });
    expect(await readApiError(json(null, { status: 500 }))).toMatchObject({ code: 'internal' });
  });

  it('ignores a Retry-After that is not a positive number of seconds', async () => {
    for (const value of ['0', '-1', 'soon', 'Wed, 21 Oct 2030 07:28:00 GMT']) {
      expect((await readApiError(json({}, { status: 503, headers: { 'retry-after': value } }))).retryAfter).toBeNull();
    }
  });
});

describe('fetchJson', () => {
  const fetchMock = vi.fn<typeof fetch>();
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });
  const answer = (res: Response) => {
    fetchMock.mockResolvedValue(res);
    vi.stubGlobal('fetch', fetchMock);
  };

  it('sends a body as JSON and returns the parsed answer', async () => {
    answer(json({ orderId: 'o1' }, { status: 202 }));
    await expect(fetchJson('/api/x', { method: 'POST', body: { quantity: 2 }, headers: { 'idempotency-key': 'k' } })).resolves.toEqual({ orderId: 'o1' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/x');
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"quantity":2}',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': 'k' },
    });
  });

  it('is a GET without a body by default (SWR calls it with the URL alone)', async () => {
    answer(json([1]));
    await expect(fetchJson('/api/y')).resolves.toEqual([1]);
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ method: 'GET', body: undefined, headers: { accept: 'application/json' } });
  });

  it('returns null for an empty answer (a 204)', async () => {
    answer(new Response(null, { status: 204 }));
    await expect(fetchJson('/api/session', { method: 'DELETE' })).resolves.toBeNull();
  });

  it('throws the parsed HttpError for any other status', async () => {
    answer(json({ error: { code: 'sold_out', message: 'Sold out' } }, { status: 409 }));
    await expect(fetchJson('/api/z')).rejects.toMatchObject({ status: 409, code: 'sold_out', message: 'Sold out' });
  });

  it('lets a failed fetch through as it is: no answer came', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchJson('/api/z')).rejects.toBeInstanceOf(TypeError);
  });
});
