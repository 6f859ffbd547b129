import { AppError } from '../errors';
import type { Refusal } from './reserve';

/** A refused reservation as the client sees it: a 404/409/422 with a message a shopper understands. */
export function refusalError(r: Refusal): AppError {
  switch (r.code) {
    case 'not_found':
      return new AppError('not_found', 'No such sale');
    case 'not_started':
      return new AppError('not_started', 'The sale has not started yet');
    case 'paused':
      return new AppError('paused', 'The sale is paused, try again shortly');
    case 'ended':
      return new AppError('ended', 'The sale has ended');
    case 'sold_out':
      return new AppError(
        'sold_out',
        r.unitsLeft > 0 ? `Only ${r.unitsLeft} left, fewer than you asked for` : 'Sold out',
      );
    case 'limit_reached':
      return new AppError(
        'limit_reached',
        r.unitsAllowed > 0 ? `You may buy only ${r.unitsAllowed} more` : 'You have reached the limit for this sale',
      );
    case 'idempotency_mismatch':
      return new AppError(
        'idempotency_mismatch',
        `This Idempotency-Key was first sent with quantity ${r.firstQuantity}: resend that quantity for its answer, or use a new key`,
      );
  }
}
