// Statbotic web terminal: HTTP (static allowlist, /healthz, one-time downloads) and a WebSocket at /ws
// that runs the app in a pty per connection. Start with `npm start`; settings come from the environment.
// web/ is ES modules (web/package.json says "type": "module") so that the server and the page import the
// same public/js/protocol.js: import works on every Node 20.x, require() of an ES module only from 20.19.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { loadConfig, showCommand, LOOPBACK_HOSTS } from './config.js';
import { Downloads } from './downloads.js';
import { log } from './log.js';
import {
  setBaseHeaders, clientAddress, hostAllowed, originAllowed, browserId, setBrowserCookie, authorized,
} from './security.js';
import { SessionManager } from './sessions.js';
import { Shares } from './shares.js';
import { loadStatic, serveStatic } from './static.js';

function sendText(res, status, text, extra = {}) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text + '\n');
}
const notFound = (res) => sendText(res, 404, 'Not found');
// The answer to a Host name that is not ours (DNS rebinding): the operator lists public names in PUBLIC_HOST.
const MISDIRECTED = 'Misdirected Request';

/** Refuse an upgrade before the WebSocket handshake with a plain HTTP status. */
function refuseUpgrade(socket, status, text, extra = '') {
  const body = text + '\n';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n${extra}\r\n${body}`,
  );
}

function pathOf(req) {
  try {
    return new URL(req.url, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function createApp(cfg) {
  const files = loadStatic();
  const downloads = new Downloads(cfg);
  const manager = new SessionManager(cfg, downloads);
  const shares = new Shares(cfg);
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.maxPayload, perMessageDeflate: false });
  const authHeader = { 'WWW-Authenticate': 'Basic realm="Statbotic", charset="UTF-8"' };

  const server = http.createServer((req, res) => {
    setBaseHeaders(res);
    const pathname = pathOf(req);
    if (pathname === '/healthz') {
      const body = JSON.stringify({ ok: !manager.draining, sessions: manager.count, max: cfg.maxSessions });
      res.writeHead(manager.draining ? 503 : 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(body);
    }
    if (!hostAllowed(req, cfg.allowedHosts)) return sendText(res, 421, `${MISDIRECTED}: unknown host name`);
    // A share link is for someone with no login, not even BASIC_AUTH's: its token is its key (shares.js).
    const reads = req.method === 'GET' || req.method === 'HEAD';
    if (reads && pathname && shares.handle(req, res, pathname, clientAddress(req, cfg.trustProxy), notFound)) return;
    if (!authorized(req, cfg.basicAuth)) return sendText(res, 401, 'Authentication required', authHeader);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    if (pathname && downloads.handle(req, res, pathname, notFound)) return;
    if (pathname === '/') setBrowserCookie(req, res, cfg.trustProxy);
    if (pathname && serveStatic(files, req, res, pathname)) return;
    notFound(res);
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const address = clientAddress(req, cfg.trustProxy);
    if (!hostAllowed(req, cfg.allowedHosts)) {
      log('refused', { reason: 'host', addr: address });
      return refuseUpgrade(socket, 421, MISDIRECTED);
    }
    if (pathOf(req) !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (!authorized(req, cfg.basicAuth)) {
      return refuseUpgrade(socket, 401, 'Unauthorized', `WWW-Authenticate: ${authHeader['WWW-Authenticate']}\r\n`);
    }
    if (!originAllowed(req, cfg.allowedOrigins)) {
      log('refused', { reason: 'origin', addr: address });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Accept, then close with a code the page can explain (a refused upgrade is only 1006 to a browser).
      const refusal = manager.refusal(address);
      if (refusal) {
        log('refused', { reason: refusal.reason, code: refusal.code, addr: address, sessions: manager.count });
        ws.close(refusal.code, refusal.reason);
        setTimeout(() => ws.terminate(), 2000).unref();
        return;
      }
      manager.add(ws, address, browserId(req));
    });
  });

  let stopping = null;
  function shutdown(signal) {
    if (stopping) return stopping;
    log('shutdown', { signal, sessions: manager.count });
    server.close();
    stopping = manager.drain(cfg.killGraceMs + 5000).then((clean) => {
      downloads.close();
      shares.close();
      server.closeAllConnections();
      log('stopped', { clean });
      return clean;
    });
    return stopping;
  }

  return { server, manager, downloads, shutdown };
}

// Listening on one of these, only this machine can connect: loopback names are all it needs.
const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function main() {
  let cfg;
  try {
    cfg = loadConfig();
  } catch (err) {
    console.error(`statbotic web: ${err.message}`);
    process.exit(2);
  }
  if (!process.env.MONGODB_URI) fs.mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const app = createApp(cfg);
  app.server.listen(cfg.port, cfg.host, () => {
    const { port } = app.server.address();
    if (!LOOPBACK_ADDRESS.test(cfg.host) && cfg.allowedHosts.length === LOOPBACK_HOSTS.length) {
      log('warning', { message: `only loopback host names (${LOOPBACK_HOSTS.join(', ')}) are accepted until PUBLIC_HOST is set` });
    }
    log('listening', {
      host: cfg.host, port, app_cmd: showCommand(cfg.appCmd), max_sessions: cfg.maxSessions, allowed_hosts: cfg.allowedHosts,
    });
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => app.shutdown(signal).then(() => process.exit(0)));
  }
}

/** True when node was started with this file (node web/server.js, or node web/server), not when imported. */
function startedAsProgram() {
  try {
    const entry = createRequire(import.meta.url).resolve(path.resolve(process.argv[1]));
    return fs.realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false; // no script: node -e, the REPL
  }
}

if (startedAsProgram()) main();

export { createApp };
