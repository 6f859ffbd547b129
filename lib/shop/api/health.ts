import { checkHealth } from '../../health';
import { json, type Endpoint } from '../../http/core';

/** GET /api/health: 200 when Redis and PostgreSQL answer, 503 naming what is down. */
export const health: Endpoint = async () => {
  const { healthy, ...checks } = await checkHealth();
  return json(checks, healthy ? 200 : 503);
};
