import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/handler';

// Any /api path no route handler serves: the contract's JSON 404, not the HTML not-found page.
const notFound = route(async () => {
  throw new AppError('not_found', 'No such API endpoint');
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
