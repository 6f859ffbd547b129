import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Run worker/index.ts as a child process and read its JSON log lines: for the tests that
// kill a worker for real and for the drain benchmark.

export type LogLine = { level: string; event: string; [field: string]: unknown };

export type WorkerProcess = {
  child: ChildProcess;
  /** every JSON line so far, stdout and stderr */
  lines: LogLine[];
  /** the first line (past or future) that matches, or a rejection after timeoutMs */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  onLine(listener: (line: LogLine) => void): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

// The repo root: the worker reads its Lua scripts and .env from there.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function spawnWorker(env: Record<string, string | undefined> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const listeners = new Set<(line: LogLine) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 'raw', event: 'output', text };
      }
      lines.push(line);
      for (const listener of listeners) listener(line);
    });
  }
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));

  function waitFor(match: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`worker log: no matching line within ${timeoutMs} ms; last lines:\n${JSON.stringify(lines.slice(-5))}`));
      }, timeoutMs);
      function listener(line: LogLine) {
        if (!match(line)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(line);
      }
      listeners.add(listener);
    });
  }
  return { child, lines, waitFor, onLine: (l) => void listeners.add(l), exited };
}
