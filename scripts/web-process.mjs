// One web process: the standalone Next.js server (.next/standalone/server.js) with our own
// graceful stop. `npm start` forks one per core (node:cluster); `npm run start:web` runs one.
//
// Next's own SIGTERM handler closes the server but then exits 143 without closing our Redis
// and Prisma clients. So it is switched off (NEXT_MANUAL_SIG_HANDLE) and on SIGTERM/SIGINT
// this process: stops accepting, lets in-flight requests finish (idle keep-alive connections
// are closed), quits Redis and disconnects Prisma, then exits 0.
import cluster from 'node:cluster';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clientAddress, trustedProxyHops } from './client-address.mjs';
import { answerClientError, createFrontGate, screenRequest, sendRefusal } from './front-gate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// How long in-flight requests may take to finish before their connections are cut.
const DRAIN_MS = 10_000;

const hops = trustedProxyHops(process.env.TRUSTED_PROXY_HOPS);

// Next creates its http.Server internally; remember every server that listens so it can be
// closed, and put the front gate (front-gate.mjs) before Next's own request handler: the
// client's address first (client-address.mjs), then the gate's checks.
const trustedProxies = hops > 0;
const gate = createFrontGate({
  trustedProxies,
  // Set by instrumentation-node.ts once the app has started (lib/sale/pageGate.ts).
  saleExists: (id) => globalThis.flashgateSaleExists?.(id),
});
const servers = new Set();
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  if (!servers.has(this)) guard(this);
  return listen.apply(this, args);
};

function guard(server) {
  servers.add(server);
  // Bounded waits: a client has 20 s to send its headers and 30 s for the whole request.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const handlers = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    req.headers['x-forwarded-for'] = clientAddress(req.headers['x-forwarded-for'], req.socket.remoteAddress, hops);
    gate(req, res, () => {
      for (const handler of handlers) handler.call(server, req, res);
    });
  });
  // Expect: 100-continue: refuse an oversized body before the client sends it.
  server.on('checkContinue', (req, res) => {
    const refusal = screenRequest(req, { trustedProxies });
    if (refusal) return sendRefusal(res, refusal);
    res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('clientError', answerClientError);
  // The shop serves no WebSocket: without an 'upgrade' listener Node hands an upgrade request
  // to the gate and Next as an ordinary one, instead of Next holding the socket open forever.
  server.removeAllListeners('upgrade');
}

function closeServer(server) {
  return new Promise((resolve) => {
    // close() stops accepting and closes idle keep-alive connections; a connection that goes
    // idle later (its request just finished) is closed by the sweep below.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

function within(ms, promise) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

// Each connection the app made registered how to close it (lib/closeHooks.ts); a hook that
// fails or hangs does not hold up the others or the exit.
async function closeClients() {
  const hooks = globalThis.flashgateCloseHooks ?? new Map();
  await Promise.all([...hooks.values()].map((close) => within(2_000, Promise.resolve().then(close).catch(() => {}))));
}

let stoppingSince = 0;
async function stop(signal) {
  if (stoppingSince) {
    // In a cluster the primary decides (a Ctrl-C reaches every process of the group, and the
    // primary forwards it too); on its own a second signal forces the exit, unless it is the
    // same Ctrl-C delivered twice (by the terminal and by npm) within a second.
    if (!cluster.isWorker && Date.now() - stoppingSince > 1_000) {
      console.error(`web process ${process.pid}: ${signal} again, exiting now`);
      process.exit(1);
    }
    return;
  }
  stoppingSince = Date.now();
  await Promise.all([...servers].map(closeServer));
  await closeClients();
  process.exit(0);
}

process.env.NEXT_MANUAL_SIG_HANDLE = '1';
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await import(pathToFileURL(path.join(root, '.next/standalone/server.js')).href);
