import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NextRequest } from 'next/server';
import { nextRequest } from '@/test/http';

// Every API route answers every method Next routes: a method it does not serve gets the
// contract's JSON 405 with an Allow header, OPTIONS a 204 with the same Allow, HEAD what GET
// answers without the body. The table is the core's (lib/http/methods.ts); this checks that
// every route file exports it whole, through the App Router adapter, as Next calls it. Route
// files are found on disk, so a new one is checked too.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

async function call(handler: RouteHandler, req: NextRequest, params: Record<string, unknown> = {}) {
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, text };
}

const API_DIR = path.join(process.cwd(), 'app/api');
const routeFiles = (readdirSync(API_DIR, { recursive: true }) as string[])
  .filter((f) => path.basename(f) === 'route.ts')
  .sort();
const CATCH_ALL = path.join('[...path]', 'route.ts');

const load = async (file: string) => (await import(path.join(API_DIR, file))) as Partial<Record<Method, RouteHandler>>;
// A dynamic segment's value that names nothing: the 405s must not depend on it.
const urlOf = (file: string) => `/api/${path.dirname(file).replace(/\[(?:\.\.\.)?(\w+)\]/g, 'x')}`;

describe.each(routeFiles.filter((f) => f !== CATCH_ALL))('app/api/%s', (file) => {
  it('exports every method; OPTIONS lists the served ones; the others answer the JSON 405', async () => {
    const mod = await load(file);
    for (const m of METHODS) expect(mod[m], m).toBeTypeOf('function');
    const options = await call(mod.OPTIONS!, await nextRequest(urlOf(file), { method: 'OPTIONS' }));
    expect(options.status).toBe(204);
    const allow = options.headers.get('allow') ?? '';
    const served = allow.split(', ');
    expect(served).toContain('OPTIONS');
    expect(served.length).toBeGreaterThan(1);
    expect(served.includes('HEAD')).toBe(served.includes('GET'));
    for (const m of METHODS.filter((m) => !served.includes(m))) {
      const res = await call(mod[m]!, await nextRequest(urlOf(file), { method: m }));
      expect(res.status, m).toBe(405);
      expect(res.headers.get('allow'), m).toBe(allow);
      expect(res.body, m).toEqual({ error: { code: 'method_not_allowed', message: expect.stringContaining(m) } });
    }
  });
});

describe('the catch-all /api/[...path]', () => {
  it.each(METHODS)('answers %s with the JSON 404', async (m) => {
    const mod = await load(CATCH_ALL);
    const res = await call(mod[m]!, await nextRequest('/api/no/such/thing', { method: m }), { path: ['no', 'such', 'thing'] });
    expect(res.status).toBe(404);
    if (m !== 'HEAD') expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('HEAD', () => {
  it('answers what GET answers, without the body', async () => {
    const health = await load('health/route.ts');
    const res = await call(health.HEAD!, await nextRequest('/api/health', { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toBe('');
  });
});
