import { errorText, type LogFields, type Logger } from './log';

// The background tasks of a long-running part (the worker's heartbeat, sweep and sync): each
// on its own timer, a failure logged and never thrown, all stopped and awaited on close.

export type Chores = {
  /** Run `task` now, in the background. */
  run(task: () => Promise<unknown>): void;
  /** Run `task` after `delayMs()`, again and again (a fresh delay each time, for jitter; never two at once) until close. */
  every(delayMs: () => number, task: () => Promise<unknown>): void;
  /** Stop the timers, then wait for the tasks running. */
  close(): Promise<void>;
};

export function createChores(log: Logger, fields: LogFields = {}): Chores {
  let closing = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  const run = (task: () => Promise<unknown>): Promise<unknown> => {
    const tracked = task().catch((err) => log('error', 'chore_failed', { ...fields, error: errorText(err) }));
    running.add(tracked);
    void tracked.finally(() => running.delete(tracked));
    return tracked;
  };

  const every = (delayMs: () => number, task: () => Promise<unknown>): void => {
    if (closing) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closing) void run(task).finally(() => every(delayMs, task));
    }, delayMs());
    timers.add(timer);
  };

  return {
    run: (task) => void run(task),
    every,
    async close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
