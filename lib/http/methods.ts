import { AppError } from '../errors';
import { answer, type Endpoint, type Params } from './core';

// Next answers a method a route does not serve with an empty 405 (and a Pages API route
// answers every method with the one handler): every path answers through `byMethod`
// instead, so that answer is the contract's JSON too, whichever router serves the path.
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Endpoints<P extends Params = Params> = Partial<Record<HttpMethod, Endpoint<P>>>;

/**
 * One endpoint for a path that serves `served`: those as they are, HEAD as GET without the
 * body (where GET is served; the same status and headers), OPTIONS a 204, any other method
 * the JSON 405 `method_not_allowed`; OPTIONS and the 405 name the served methods in `Allow`.
 */
export function byMethod<P extends Params>(served: Endpoints<P>): Endpoint<P> {
  const endpoints = new Map<string, Endpoint<P>>(Object.entries(served));
  const get = served.GET;
  if (get && !endpoints.has('HEAD')) {
    endpoints.set('HEAD', async (req, { params }) => ({ ...(await answer(get, req, params)), body: undefined }));
  }
  const allow = [...new Set([...HTTP_METHODS.filter((m) => endpoints.has(m)), 'OPTIONS'])].sort().join(', ');
  if (!endpoints.has('OPTIONS')) endpoints.set('OPTIONS', async () => ({ status: 204, headers: { allow } }));
  const notAllowed: Endpoint<P> = async (req) => {
    throw new AppError('method_not_allowed', `${req.method} is not allowed here; this endpoint answers ${allow}`, { allow });
  };
  return (req, ctx) => (endpoints.get(req.method) ?? notAllowed)(req, ctx);
}
