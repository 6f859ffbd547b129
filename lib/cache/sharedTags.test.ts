import { tagsManifest } from 'next/dist/server/lib/incremental-cache/tags-manifest.external';
import { describe, expect, it } from 'vitest';
import { applyShared } from './sharedTags';

const shared = (entry: object) => JSON.stringify(entry);

describe('applyShared', () => {
  it('the newest write of a tag wins whole, an immediate expiry after a later one included', () => {
    const tag = `t-${Math.random()}`;
    applyShared({ [tag]: shared({ stale: 1_000, expired: 9_000, at: 1_000 }) }, 1_000);
    expect(tagsManifest.get(tag)).toEqual({ stale: 1_000, expired: 9_000 });
    applyShared({ [tag]: shared({ stale: 2_000, expired: 2_000, at: 2_000 }) }, 2_000);
    expect(tagsManifest.get(tag)).toEqual({ stale: 2_000, expired: 2_000 });
    applyShared({ [tag]: shared({ stale: 1_500, expired: 99_000, at: 1_500 }) }, 2_000); // late, older
    expect(tagsManifest.get(tag)).toEqual({ stale: 2_000, expired: 2_000 });
  });

  it('ignores what is not ours and names the fields too old to keep', () => {
    const [fresh, old, junk] = ['fresh', 'old', 'junk'].map((t) => `${t}-${Math.random()}`);
    const now = Date.now();
    const tooOld = applyShared(
      { [fresh]: shared({ expired: now, at: now }), [old]: shared({ expired: 1, at: now - 2 * 86_400_000 }), [junk]: '{"stale":' },
      now,
    );
    expect(tooOld).toEqual([old]);
    expect(tagsManifest.has(fresh)).toBe(true);
    expect(tagsManifest.has(junk)).toBe(false);
  });
});
