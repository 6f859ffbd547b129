// One error type for the whole app: a code the client can act on, a status, a message for humans.
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  unauthorized: 401,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_started: 409,
  paused: 409,
  ended: 409,
  sold_out: 409,
  limit_reached: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  rate_limited: 429,
  // nginx's code for a client that hung up before its request was complete: nobody reads the
  // answer, but access logs and metrics can tell it from bad input (400) and from our 5xx.
  client_closed_request: 499,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    // An AppError is an expected answer (sold out, bad input), not a bug: capturing a stack
    // for each one showed in the hot path's profile, and nobody reads it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
