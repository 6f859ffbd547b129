import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiRequestOf } from './app';
import { readJson } from './body';
import { answer, json, type Endpoint } from './core';

// A client that hangs up mid-body is not a server error: no 500, no error log line. (The same
// through the Pages adapter, on a real socket: pages.db.test.ts.)
const echo: Endpoint = async (req) => json(await readJson(req, z.object({ email: z.string() })));

/** A POST whose body sends a few bytes, then fails the way Node's request stream does. */
function requestFailingMidBody(error: unknown, controller = new AbortController()) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"email":"'));
    },
    pull(c) {
      c.error(error);
    },
  });
  return new NextRequest('http://shop.test/api/x', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '1000' },
    body,
    duplex: 'half',
    signal: controller.signal,
  } as ConstructorParameters<typeof NextRequest>[1]);
}

const nodeAbort = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a request body cut off by the client', () => {
  it.each([
    ["Node's 'aborted' (ECONNRESET)", () => requestFailingMidBody(nodeAbort())],
    ['any stream error once the request signal is aborted', () => {
      const controller = new AbortController();
      controller.abort();
      return requestFailingMidBody(new TypeError('terminated'), controller);
    }],
  ])('%s answers 499 client_closed_request, logging nothing', async (_name, makeRequest) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await answer(echo, apiRequestOf(makeRequest()), {});
    expect(res.status).toBe(499);
    expect(res.body).toEqual({ error: { code: 'client_closed_request', message: expect.any(String) } });
    expect(logged).not.toHaveBeenCalled();
  });

  it('still answers a genuine server error with a logged 500', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await answer(echo, apiRequestOf(requestFailingMidBody(new Error('disk on fire'))), {});
    expect(res.status).toBe(500);
    expect(logged).toHaveBeenCalledWith('unhandled error', expect.objectContaining({ message: 'disk on fire' }));
  });
});
