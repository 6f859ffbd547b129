import { describe, expect, it } from 'vitest';
import { createChores } from './chores';
import type { LogFields } from './log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createChores', () => {
  it('repeats a task on its timer, logs a failure without stopping, and waits for a running task on close', async () => {
    const logged: LogFields[] = [];
    const chores = createChores((_level, event, fields = {}) => void logged.push({ event, ...fields }), { worker: 'w1' });
    let runs = 0;
    let finished = 0;
    chores.every(
      () => 5,
      async () => {
        runs += 1;
        if (runs === 2) throw new Error('second run fails');
        await sleep(20);
        finished += 1;
      },
    );
    while (runs < 4) await sleep(5);
    await chores.close();
    const runsAtClose = runs;
    expect(finished).toBe(runs - 1); // the run in progress at close finished before close resolved
    expect(logged).toEqual([{ event: 'chore_failed', worker: 'w1', error: 'second run fails' }]);
    await sleep(30);
    expect(runs).toBe(runsAtClose); // no timer outlives close
  });

  it('never runs two of one task at once: the next delay starts when a run ends', async () => {
    const chores = createChores(() => {});
    let running = 0;
    let most = 0;
    chores.every(
      () => 1,
      async () => {
        most = Math.max(most, ++running);
        await sleep(15);
        running -= 1;
      },
    );
    await sleep(80);
    await chores.close();
    expect(most).toBe(1);
  });
});
