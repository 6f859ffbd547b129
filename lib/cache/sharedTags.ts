import { tagsManifest } from 'next/dist/server/lib/incremental-cache/tags-manifest.external';
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

// Entries older than that can no longer matter: every cached page has been renewed since
// (`expireTime` in next.config.js is an hour).
const KEEP_S = 24 * 3600;

const later = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

// The manifest's own set(), whatever shareRevalidations put in its place (one that also publishes).
const writeManifest = (tag: string, entry: TagEntry) => Map.prototype.set.call(tagsManifest, tag, entry);

/** Merge entries into this process's manifest, keeping the later time of each field. */
export function applyTags(entries: Record<string, TagEntry>): void {
  for (const [tag, entry] of Object.entries(entries)) {
    const known = tagsManifest.get(tag) ?? {};
    writeManifest(tag, { stale: later(known.stale, entry.stale), expired: later(known.expired, entry.expired) });
  }
}

/** Apply tag -> JSON entry pairs, as the hash holds them and a message carries them. */
function applyStored(stored: Record<string, string>): void {
  const entries: Record<string, TagEntry> = {};
  for (const [tag, json] of Object.entries(stored)) {
    try {
      const entry = JSON.parse(json) as TagEntry;
      if (typeof entry === 'object' && entry !== null) entries[tag] = entry;
    } catch {
      // not ours: ignore
    }
  }
  applyTags(entries);
}

/** Publish what this process just revalidated; a failure is logged, never thrown at the admin. */
async function publishTags(tags: string[]): Promise<void> {
  const entries = Object.fromEntries(tags.flatMap((t) => (tagsManifest.has(t) ? [[t, JSON.stringify(tagsManifest.get(t))]] : [])));
  if (Object.keys(entries).length === 0) return;
  const keys = globalKeys();
  try {
    await withRedis(async (r) => {
      await r.hset(keys.cacheTags, entries);
      await r.expire(keys.cacheTags, KEEP_S);
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
    if (!pending) {
      pending = [];
      queueMicrotask(() => {
        const tags = pending!;
        pending = null;
        void publishTags(tags);
      });
    }
    pending.push(tag);
    return manifest;
  };
}

/**
 * Follow the other processes' revalidations. Once subscribed, and again on every reconnection,
 * the whole hash is read, so a message missed while Redis was away costs nothing.
 */
export function followSharedTags(): { close(): void } {
  const keys = globalKeys();
  const subscriber = createRedis('subscriber');
  const catchUp = () =>
    withRedis((r) => r.hgetall(keys.cacheTags))
      .then(applyStored)
      .catch((err) => console.warn(`could not read the shared cache tags: ${(err as Error).message}`));
  let subscribed = false;
  subscriber.on('error', () => {}); // reconnects by itself; pages fall back to their revalidate time meanwhile
  subscriber.on('ready', () => void (subscribed && catchUp()));
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.cacheTagsChannel) return;
    try {
      applyStored(JSON.parse(message) as Record<string, string>);
    } catch {
      // not ours: ignore
    }
  });
  subscriber
    .subscribe(keys.cacheTagsChannel)
    .then(() => {
      subscribed = true;
      return catchUp();
    })
    .catch(() => {});
  return { close: () => subscriber.disconnect() };
}
