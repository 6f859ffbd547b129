import { AppError } from '../errors';
import { ORDER_ID, SALE_ID } from '../ids';

// A malformed id cannot name anything: answer 404 without asking Redis or PostgreSQL.
export function saleIdParam(value: string): string {
  if (!SALE_ID.test(value)) throw new AppError('not_found', 'No such sale');
  return value;
}

export function orderIdParam(value: string): string {
  if (!ORDER_ID.test(value)) throw new AppError('not_found', 'No such order');
  return value;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

export function idempotencyKeyHeader(value: string | null): string | undefined {
  if (value === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new AppError('invalid_request', 'Idempotency-Key must be 1 to 100 printable ASCII characters');
  }
  return value;
}
