// Prisma's codes for "the database is not there right now", as opposed to a bad query:
// P1001 unreachable, P1002 timed out, P1008 operation timed out, P1017 connection closed,
// P2024 no connection free in the pool in time.
const UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// What pg itself throws (uncoded) when a connection cannot be had or a query gets no answer.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|statement timeout|ECONNREFUSED|ECONNRESET/i;

/** True for an error that means PostgreSQL is down or overloaded: answer 503, not 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (
    (typeof code === 'string' && UNAVAILABLE.has(code)) ||
    err.name === 'PrismaClientInitializationError' ||
    UNAVAILABLE_MESSAGE.test(err.message) ||
    (err.cause instanceof Error && isDatabaseUnavailable(err.cause))
  );
}
