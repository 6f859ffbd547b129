import { AppError } from '@/lib/errors';
import { appRoute } from '@/lib/http/app';
import type { Endpoint } from '@/lib/http/core';

// Any /api path no route handler serves: the contract's JSON 404, not the HTML not-found page,
// for every method (Next's own OPTIONS would answer 204 and list methods of nothing).
const noSuchEndpoint: Endpoint = async () => {
  throw new AppError('not_found', 'No such API endpoint');
};

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({
  GET: noSuchEndpoint,
  HEAD: noSuchEndpoint,
  POST: noSuchEndpoint,
  PUT: noSuchEndpoint,
  PATCH: noSuchEndpoint,
  DELETE: noSuchEndpoint,
  OPTIONS: noSuchEndpoint,
});
