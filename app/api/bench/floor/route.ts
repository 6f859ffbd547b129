import { benchRoutesEnabled, benchRoutesOff } from '@/lib/bench/routes';
import { allMethods } from '@/lib/http/methods';

// GET|POST /api/bench/floor: a constant, so the bench measures the framework's own cost per
// request on this machine (404 unless ENABLE_BENCH_ROUTES=1).
export const dynamic = 'force-dynamic';

const BODY = '{"ok":true}';

export function GET(): Response {
  if (!benchRoutesEnabled) return benchRoutesOff();
  return new Response(BODY, { headers: { 'content-type': 'application/json' } });
}

export const POST = GET;

export const { HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET, POST });
