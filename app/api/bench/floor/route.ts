import { benchRoutesEnabled, benchRoutesOff } from '@/lib/bench/routes';
import { appRoute, toResponse } from '@/lib/http/app';
import type { ApiResponse } from '@/lib/http/core';

// GET|POST /api/bench/floor: a constant, so the bench measures the framework's own cost per
// request on this machine (404 unless ENABLE_BENCH_ROUTES=1).
export const dynamic = 'force-dynamic';

const OK: ApiResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } };
const ok = async () => OK;

// The methods the bench never sends answer as on every route. GET and POST skip the API core
// and its adapter on purpose: the floor is Next's own cost, and the core's is part of what the
// purchase is measured with against it. HEAD is GET's answer, whose body Node does not send.
export const { PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: ok, POST: ok });
export const GET = benchRoutesEnabled ? () => toResponse(OK) : benchRoutesOff;
export const HEAD = GET;
export const POST = GET;
