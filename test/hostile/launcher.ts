// What the hostile suites measure and aim at, around the launcher (test/launcher.ts): CPU time
// and memory of the web processes from /proc, the build folder's size, a few real sales and
// signed-in shoppers.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/config';
import { ROOT } from '@/bench/lib/servers';
import type { Shop } from '@/test/launcher';

export { holdBuild, listeningPids, restartLines, startShop, type Shop } from '@/test/launcher';

// --- /proc ---------------------------------------------------------------------------

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU time (user + system) of one process so far, in µs. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** Resident memory of one process, in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

/**
 * The server side's open TCP connections on a port (from /proc/net/tcp{,6}), by state, the
 * listening socket and TIME_WAIT left out: once every client is gone there should be none.
 * A CLOSE_WAIT here is a connection the client closed and the server never did.
 */
export function serverConnections(port: number): Map<string, number> {
  const states = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || Number.parseInt(local.split(':')[1], 16) !== port) continue;
      const name = TCP_STATES[state] ?? state;
      if (name === 'LISTEN' || name === 'TIME_WAIT') continue;
      states.set(name, (states.get(name) ?? 0) + 1);
    }
  }
  return states;
}

/** Wait up to `ms` for the server to have no connection left on its port; what remains. */
export async function lingeringConnections(port: number, ms = 3_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const states = serverConnections(port);
    if (states.size === 0 || Date.now() > until) return [...states].map(([k, n]) => `${k}×${n}`).join(', ');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- the build folder ------------------------------------------------------------------

export type DiskUse = { bytes: number; files: number; sizes: Map<string, number> };

/** Every file under .next (the standalone server's route cache included), symlinks not followed. */
export function diskUse(dir = path.join(ROOT, '.next')): DiskUse {
  const sizes = new Map<string, number>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else sizes.set(path.relative(dir, p), lstatSync(p).size);
    }
  };
  walk(dir);
  let bytes = 0;
  for (const size of sizes.values()) bytes += size;
  return { bytes, files: sizes.size, sizes };
}

/** Files that appeared, and files whose size changed, between two measurements. */
export function diskChanges(before: DiskUse, after: DiskUse): { added: string[]; removed: string[]; resized: string[] } {
  const added = [...after.sizes.keys()].filter((p) => !before.sizes.has(p));
  const removed = [...before.sizes.keys()].filter((p) => !after.sizes.has(p));
  const resized = [...after.sizes.keys()].filter((p) => before.sizes.has(p) && before.sizes.get(p) !== after.sizes.get(p));
  return { added, removed, resized };
}

// --- sales and shoppers through the HTTP API --------------------------------------------

/** A request through the admin API with the Bearer token. */
export async function admin(shop: Shop, method: string, urlPath: string, body?: object): Promise<{ status: number; json: any }> {
  const res = await fetch(`${shop.server.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** A sale made through POST /api/admin/sales, remembered for the cleanup. */
export async function createSale(shop: Shop, fields: Record<string, unknown>): Promise<string> {
  const { status, json } = await admin(shop, 'POST', '/api/admin/sales', {
    name: 'Hostile suite',
    priceCents: 1500,
    stock: 50,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    ...fields,
  });
  if (status !== 201) throw new Error(`creating a sale: ${status} ${JSON.stringify(json)}`);
  shop.saleIds.add(json.id);
  return json.id;
}

/** The cookie value a Set-Cookie header sets for `name`. */
const cookieValue = (res: Response, name: string) =>
  res.headers.getSetCookie().map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1]).find(Boolean);

/**
 * A shopper's session cookie value: POST /api/session {"email"} (the contract before the
 * fair-access issue), or, when that does not sign in at once any more (a code by email),
 * a session signed with the shop's secret as the kill test does.
 */
export async function shopperSession(shop: Shop, email: string): Promise<string> {
  const res = await fetch(`${shop.server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  const value = cookieValue(res, 'fg_session');
  if (value) return value;
  const { signSession, userIdOf } = await import('@/lib/auth/session');
  return signSession(userIdOf(email));
}

/** The dashboard's session cookie value, signed in with the admin password. */
export async function adminSession(shop: Shop): Promise<string> {
  const res = await fetch(`${shop.server.url}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: env.ADMIN_PASSWORD }),
  });
  const value = cookieValue(res, 'fg_admin');
  if (!value) throw new Error(`admin sign-in: ${res.status} ${await res.text()}`);
  return value;
}

/** POST /api/sales/{id}/orders as a shopper; the order id on a 202. */
export async function purchase(shop: Shop, saleId: string, session: string, quantity = 1): Promise<string> {
  const res = await fetch(`${shop.server.url}/api/sales/${saleId}/orders`, {
    method: 'POST',
    headers: { cookie: `fg_session=${session}`, 'content-type': 'application/json' },
    body: JSON.stringify({ quantity }),
  });
  const json = (await res.json()) as { orderId?: string };
  if (res.status !== 202 || !json.orderId) throw new Error(`purchase: ${res.status} ${JSON.stringify(json)}`);
  return json.orderId;
}
