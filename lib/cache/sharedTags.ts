import { tagsManifest } from 'next/dist/server/lib/incremental-cache/tags-manifest.external';
import { onProcessClose } from '../closeHooks';
import { withRedis } from '../redis/client';
import { createRedis } from '../redis/connect';
import { globalKeys } from '../redis/keys';

// Next keeps the revalidated page-cache tags in a Map of the process (the "tags manifest"), so
// an admin's edit, revalidated in the web process that handled it, would leave every other web
// process (npm start runs one per core; a deployment runs many machines) serving the old page
// until its `revalidate` ran out. Here every process shares them through Redis: what Next writes
// into the manifest is published, every web process applies it to its own manifest at once,
// and a process that starts later reads them all from a hash.
//
// Why the Map and not a `cacheHandler`: Next imports a custom cache handler afresh (resolve,
// file URL, module lookup) on every request, route handlers included; the profile of the
// purchase path showed it. Watching the Map costs nothing until something is revalidated.

/** A tag's entry in Next's manifest: when pages carrying it became stale and expired (ms). */
export type TagEntry = { stale?: number; expired?: number };

/** What the hash and the messages carry per tag: the entry and when it was written. */
type SharedEntry = TagEntry & { at: number };

// A field older than that can no longer matter (every cached page has been renewed since:
// `expireTime` in next.config.js is an hour) and is dropped from the hash.
const KEEP_MS = 24 * 3600 * 1000;
// How often a process reads the whole hash anyway: the backstop for a missed message or a
// failed read after a reconnection.
const CATCH_UP_MS = 30_000;

// When each tag's entry in this process was written, by Next here or by a message: the newest
// write wins whole, as in Next's own manifest (an immediate expiry after a later one counts).
const writtenAt = new Map<string, number>();

// The manifest's own set(), whatever shareRevalidations put in its place (one that also publishes).
const writeManifest = (tag: string, entry: TagEntry) => Map.prototype.set.call(tagsManifest, tag, entry);

/** Apply tag -> JSON pairs, as the hash holds them and a message carries them; returns the stale fields. */
export function applyShared(stored: Record<string, string>, now = Date.now()): string[] {
  const old: string[] = [];
  for (const [tag, json] of Object.entries(stored)) {
    let shared: SharedEntry;
    try {
      shared = JSON.parse(json) as SharedEntry;
    } catch {
      continue; // not ours
    }
    if (typeof shared?.at !== 'number') continue;
    if (shared.at < now - KEEP_MS) old.push(tag);
    if (shared.at <= (writtenAt.get(tag) ?? 0)) continue;
    writtenAt.set(tag, shared.at);
    writeManifest(tag, { stale: shared.stale, expired: shared.expired });
  }
  return old;
}

/** Publish what this process just revalidated; a failure is logged, never thrown at the admin. */
async function publishTags(tags: string[]): Promise<void> {
  const entries = Object.fromEntries(
    tags.map((tag) => [tag, JSON.stringify({ ...tagsManifest.get(tag), at: writtenAt.get(tag) } satisfies Partial<SharedEntry>)]),
  );
  const keys = globalKeys();
  try {
    await withRedis(async (r) => {
      await r.hset(keys.cacheTags, entries);
      await r.publish(keys.cacheTagsChannel, JSON.stringify(entries));
    });
  } catch (err) {
    console.warn(`could not share the revalidated tags ${tags.join(', ')}: ${(err as Error).message}`);
  }
}

const SHARED = Symbol.for('flashgate.sharedTags');

/**
 * Publish every tag this process revalidates. Next's caches (the ISR file-system cache and the
 * `use cache` handler) record a revalidation with tagsManifest.set(); the tags one call sets
 * go out together, in one message, once the call is done.
 */
export function shareRevalidations(): void {
  const manifest = tagsManifest as typeof tagsManifest & { [SHARED]?: true };
  if (manifest[SHARED]) return; // installed already (a dev reload)
  manifest[SHARED] = true;
  let pending: string[] | null = null;
  manifest.set = (tag, entry) => {
    writeManifest(tag, entry);
    writtenAt.set(tag, Math.max(Date.now(), (writtenAt.get(tag) ?? 0) + 1));
    if (!pending) {
      pending = [];
      queueMicrotask(() => {
        const tags = [...new Set(pending)];
        pending = null;
        void publishTags(tags);
      });
    }
    pending.push(tag);
    return manifest;
  };
}

const globalForTags = globalThis as unknown as { flashgateTagSubscriber?: { disconnect(): void } };

/**
 * Follow the other processes' revalidations: every message at once, and the whole hash once
 * subscribed, after every reconnection and every 30 s, so a missed message or a failed read
 * costs at most that long. Once per process (the subscriber is on globalThis: dev reloads).
 */
export function followSharedTags(): void {
  if (globalForTags.flashgateTagSubscriber) return;
  const keys = globalKeys();
  const subscriber = createRedis('subscriber');
  globalForTags.flashgateTagSubscriber = subscriber;
  onProcessClose('cache-tags', () => subscriber.disconnect()); // nothing in flight to wait for
  const catchUp = () =>
    withRedis(async (r) => {
      const old = applyShared(await r.hgetall(keys.cacheTags));
      if (old.length > 0) await r.hdel(keys.cacheTags, ...old);
    }).catch((err) => console.warn(`could not read the shared cache tags: ${(err as Error).message}`));
  let subscribed = false;
  subscriber.on('error', () => {}); // reconnects by itself; catchUp says when Redis is away
  subscriber.on('ready', () => void (subscribed && catchUp()));
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.cacheTagsChannel) return;
    try {
      applyShared(JSON.parse(message) as Record<string, string>);
    } catch {
      // not ours
    }
  });
  subscriber
    .subscribe(keys.cacheTagsChannel)
    .then(() => {
      subscribed = true;
      return catchUp();
    })
    .catch(() => {});
  setInterval(() => void (subscribed && catchUp()), CATCH_UP_MS).unref();
}
