import { route } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { json } from '@/lib/http/respond';
import { checkHealth } from '@/lib/health';

// GET /api/health: 200 when Redis and PostgreSQL answer, 503 naming what is down
export const GET = route(async () => {
  const { healthy, ...checks } = await checkHealth();
  return json(checks, healthy ? 200 : 503);
});

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
