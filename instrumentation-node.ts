// Start-up of a Node.js server process. Reading the configuration here makes a missing or weak
// secret stop start-up (the launcher then gives up, showing the message) instead of failing
// every request; the Redis client connects before the first purchase arrives, and the process
// follows the page revalidations of the others (lib/cache/sharedTags.ts). The web process's
// front gate (scripts/front-gate.mjs) asks the app which sale pages exist.
if (process.env.NEXT_PHASE !== 'phase-production-build') {
  try {
    await import('./lib/config');
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  await import('./lib/redis/client');
  const { followSharedTags, shareRevalidations } = await import('./lib/cache/sharedTags');
  followSharedTags();
  shareRevalidations();
  const { saleExists } = await import('./lib/sale/pageGate');
  (globalThis as { flashgateSaleExists?: typeof saleExists }).flashgateSaleExists = saleExists;
}

export {};
