// npm run worker: the order worker (docs/worker.md). Drains every sale's order queue into
// PostgreSQL and keeps Redis in sync with PostgreSQL's sales. SIGTERM or SIGINT: finish the
// batch in hand, exit 0; a second signal exits at once (what it held is requeued by others).
import { env } from '../lib/config';
import { disconnectPrisma } from '../lib/db/client';
import { errorText, jsonLogger } from '../lib/log';
import { startOrderWorker } from './orderWorker';

const worker = startOrderWorker({
  batchSize: env.WORKER_BATCH_SIZE,
  heartbeatMs: env.WORKER_HEARTBEAT_MS,
  syncIntervalMs: env.WORKER_SYNC_INTERVAL_MS,
  batchDelayMs: env.NODE_ENV === 'production' ? 0 : env.WORKER_BATCH_DELAY_MS,
});

let signals = 0;
function stop(signal: NodeJS.Signals) {
  signals += 1;
  if (signals > 1) {
    jsonLogger('warn', 'worker_forced_exit', { worker: worker.workerId, signal });
    process.exit(130);
  }
  jsonLogger('info', 'worker_stopping', { worker: worker.workerId, signal });
  void worker.close();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await worker.closed;
try {
  await disconnectPrisma();
} catch (err) {
  jsonLogger('warn', 'shutdown_step_failed', { worker: worker.workerId, step: 'database', error: errorText(err) });
}
process.exit(worker.failure ? 1 : 0);
