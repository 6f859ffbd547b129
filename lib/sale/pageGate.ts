import { prisma } from '../db/client';
import { withRedis } from '../redis/client';
import { globalKeys } from '../redis/keys';
import { SALE_ID } from '../ids';

// Which ids may reach the sale page. Next renders /sales/<id> for any id and keeps the result,
// a 404 included, in its page cache on disk, so the web process's front gate
// (scripts/front-gate.mjs) asks here first and sends an invented id to the plain 404.
//
// An invented id must cost no database query (a stranger can send thousands a second), so
// each process keeps every sale id PostgreSQL holds (sales are ended, never deleted; a shop
// has thousands, not millions), re-read in the background once a minute; a sale made since
// is found in Redis's set of current sales, where the admin API loads it at once.

const REFRESH_MS = 60_000;

let ids: { set: Set<string>; at: number } | null = null;
let reading: Promise<void> | null = null;

function readIds(): Promise<void> {
  reading ??= prisma.sale
    .findMany({ select: { id: true } })
    .then((rows) => {
      ids = { set: new Set(rows.map((r) => r.id)), at: Date.now() };
    })
    .finally(() => {
      reading = null;
    });
  return reading;
}

/** Every sale id in PostgreSQL as of at most a minute ago (the first call waits for it). */
async function storedIds(): Promise<Set<string>> {
  if (!ids) await readIds();
  else if (Date.now() - ids.at > REFRESH_MS) readIds().catch(() => {}); // the old set serves meanwhile
  return ids!.set;
}

/**
 * True when a sale of this id exists. Throws when neither PostgreSQL (on a process's first
 * call) nor Redis can answer: the gate then answers 503.
 */
export async function saleExists(id: string): Promise<boolean> {
  if (!SALE_ID.test(id)) return false;
  const stored = await storedIds().catch(() => null);
  if (stored?.has(id)) return true;
  return (await withRedis((client) => client.sismember(globalKeys().sales, id))) === 1;
}
