import { env } from '../config';
import { AppError } from '../errors';
import { errorResponse } from '../http/respond';

// The benchmark's own routes exist only where ENABLE_BENCH_ROUTES=1 (the bench's server);
// anywhere else they answer 404 like any unknown path.
export const benchRoutesEnabled = env.ENABLE_BENCH_ROUTES === '1';

export const benchRoutesOff = () => errorResponse(new AppError('not_found', 'Not found'));
