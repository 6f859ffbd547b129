import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/handler';

// Any /api path no route handler serves: the contract's JSON 404, not the HTML not-found page,
// for every method (Next's own OPTIONS would answer 204 and list methods of nothing).
const notFound = route(async () => {
  throw new AppError('not_found', 'No such API endpoint');
});

export {
  notFound as GET,
  notFound as HEAD,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
