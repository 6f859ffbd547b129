// Next's page cache (ISR) with revalidations shared by every web process: Next's own file-system
// cache, whose revalidateTag also hands the tags to lib/cache/sharedTags.ts (installed on
// globalThis at start-up by instrumentation-node.ts) to publish through Redis. During
// `next build` nothing is installed and it is Next's cache unchanged.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FileSystemCache = require('next/dist/server/lib/incremental-cache/file-system-cache.js').default;

export default class SharedTagsCache extends FileSystemCache {
  async revalidateTag(tags, durations) {
    await super.revalidateTag(tags, durations);
    await globalThis.flashgateSharedTags?.publish([tags].flat());
  }
}
