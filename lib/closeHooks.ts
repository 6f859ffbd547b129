// What a process must close on its way out (connections, subscriptions), registered where each
// is made. scripts/web-process.mjs runs every hook when it stops; the map lives on globalThis
// because the bundled route code and that launcher share nothing else, and is keyed by name so
// a dev reload replaces a hook instead of adding another.
type CloseHook = () => Promise<unknown> | void;

const globalForHooks = globalThis as unknown as { flashgateCloseHooks?: Map<string, CloseHook> };

export function onProcessClose(name: string, close: CloseHook): void {
  (globalForHooks.flashgateCloseHooks ??= new Map()).set(name, close);
}
