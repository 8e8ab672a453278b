// Shared helpers for the web tests: start the server, talk to it over WebSocket, drive Chromium.
// Every wait is bounded; every start has a matching stop for after() hooks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER = path.join(REPO, 'web', 'server.js');
export const FAKE_APP = path.join(REPO, 'tests', 'web', 'fixtures', 'fake_app.py');
export const FAKE_APP_CMD = `python3 "${FAKE_APP}"`;
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Poll `check` until it returns a truthy value; throw `what` (plus detail()) after timeoutMs. */
export async function waitUntil(check, { timeoutMs = 5000, intervalMs = 25, what = 'condition', detail } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      const extra = detail ? `\n--- ${await detail()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolve like promise, or reject after timeoutMs; the timer never outlives the race. */
export async function withTimeout(promise, timeoutMs, what = 'promise') {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True while the process exists and is not a zombie (a container's pid 1 may never reap). */
export function pidAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// Servers still running when the test process exits (a failed before(), a forgotten stop()) get SIGTERM,
// so they end their own sessions instead of lingering.
const running = new Set();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});

/**
 * Start web/server.js on 127.0.0.1 with a random port. The server gets only the environment given here
 * (plus PATH, HOME, LANG), so tests can check what reaches the app.
 * appCmd: the APP_CMD (default: the fake app); null sets none, so the server chooses the app's Python itself.
 * env: more server variables (limits, STATBOTIC_*, ...).
 */
export async function startServer({ env = {}, appCmd = FAKE_APP_CMD, timeoutMs = 10000 } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'statbotic-webtest-'));
  const sessionsRoot = path.join(tmp, 'sessions');
  fs.mkdirSync(sessionsRoot);
  const proc = spawn(process.execPath, [SERVER], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME || tmp,
      LANG: process.env.LANG || 'C.UTF-8',
      PORT: '0',
      HOST: '127.0.0.1',
      ...(appCmd === null ? {} : { APP_CMD: appCmd }),
      STATBOTIC_DATA_DIR: path.join(tmp, 'data'),
      SESSIONS_ROOT: sessionsRoot,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  const logs = [];
  let stderr = '';
  let pending = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ event: 'non_json', line });
      }
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

  const server = {
    proc,
    logs,
    tmp,
    sessionsRoot,
    exited,
    get stderr() { return stderr; },
    url: '',
    wsUrl: '',
    port: 0,
    waitForLog(pred, ms = 5000) {
      return waitUntil(() => logs.find(pred), { timeoutMs: ms, what: 'a server log line', detail: () => JSON.stringify(logs.slice(-5)) });
    },
    async health() {
      const res = await fetch(`${server.url}/healthz`);
      return { status: res.status, ...(await res.json()) };
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  try {
    const listening = await waitUntil(() => logs.find((l) => l.event === 'listening') || (proc.exitCode !== null && 'exited'), {
      timeoutMs, what: 'the server to listen', detail: () => stderr,
    });
    if (listening === 'exited') throw new Error(`server exited: ${stderr}`);
    server.port = listening.port;
  } catch (err) {
    await server.stop();
    throw err;
  }
  server.url = `http://127.0.0.1:${server.port}`;
  server.wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  return server;
}

/**
 * GET path from the server with exactly these headers (fetch cannot set Host): { status, headers, body }.
 * headers.host defaults to the server's own 127.0.0.1:port.
 */
export function httpGet(server, pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathname, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(3000, () => req.destroy(new Error(`GET ${pathname} timed out`)));
  });
}

/** A fresh browser cookie from the server ("name=value"), as a page load sets it; null when none is set. */
export async function browserCookie(server, headers = {}) {
  const res = await fetch(`${server.url}/`, { headers });
  await res.arrayBuffer();
  return res.headers.get('set-cookie')?.split(';')[0] ?? null;
}

/** A WebSocket client speaking the page's protocol, collecting output and control messages. */
export class TermClient {
  constructor(ws) {
    this.ws = ws;
    this.output = '';
    this.cursor = 0; // waitFor() consumes output up to the end of each match
    this.messages = [];
    this.decoder = new TextDecoder();
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.output += this.decoder.decode(data, { stream: true });
      else this.messages.push(JSON.parse(data.toString()));
    });
    ws.on('error', () => {});
  }

  /**
   * Connect (Origin defaults to the server's own) and, unless hello is false, say hello.
   * Like a browser, it first loads the page for its browser cookie (client.cookie), which binds the
   * session's download links; cookie: a given one, or null for none.
   */
  static async open(server, { origin, headers, cookie, cols = 80, rows = 24, hello = true, timeoutMs = 5000 } = {}) {
    if (cookie === undefined) cookie = await browserCookie(server, headers?.authorization ? { authorization: headers.authorization } : {});
    const ws = new WebSocket(server.wsUrl, {
      origin: origin === undefined ? server.url : origin,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    const client = new TermClient(ws);
    client.cookie = cookie;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('WebSocket open timed out')), timeoutMs);
      ws.once('open', () => { clearTimeout(timer); resolve(); });
      ws.once('unexpected-response', (req, res) => {
        clearTimeout(timer);
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
    if (hello) client.json({ t: 'hello', cols, rows });
    return client;
  }

  /** GET a download link as this client's browser would (with its cookie), or with another cookie. */
  download(server, url, cookie = this.cookie) {
    return fetch(server.url + url, { headers: cookie ? { cookie } : {} });
  }

  json(obj) { this.ws.send(JSON.stringify(obj)); }
  type(text) { this.ws.send(Buffer.from(text, 'utf8'), { binary: true }); }
  line(text) { this.type(`${text}\r`); }
  resize(cols, rows) { this.json({ t: 'resize', cols, rows }); }
  close(code = 1000) { this.ws.close(code); return this.waitClosed(); }

  /** Wait for text or a RegExp in the output after the last match; returns the match. */
  async waitFor(pattern, timeoutMs = 5000) {
    const match = await waitUntil(() => {
      const rest = this.output.slice(this.cursor);
      if (typeof pattern === 'string') {
        const i = rest.indexOf(pattern);
        return i >= 0 ? Object.assign([pattern], { index: i }) : null;
      }
      return pattern.exec(rest);
    }, { timeoutMs, what: `output ${pattern}`, detail: () => JSON.stringify(this.output.slice(-400)) });
    this.cursor += match.index + match[0].length;
    return match;
  }

  waitForMessage(pred, timeoutMs = 5000) {
    return waitUntil(() => this.messages.find(pred), { timeoutMs, what: 'a control message', detail: () => JSON.stringify(this.messages) });
  }

  waitClosed(timeoutMs = 5000) {
    return withTimeout(this.closed, timeoutMs, 'the socket to close');
  }

  /** Type a line and wait for its expected answer. */
  ask(text, pattern, timeoutMs = 5000) {
    this.line(text);
    return this.waitFor(pattern, timeoutMs);
  }
}

// ---------------- browser ----------------

/** Why browser tests must be skipped, or false. With CI=true a missing Chromium fails instead. */
export function browserSkipReason() {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') return false;
  return `Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context and page at url; page.errors collects uncaught page errors and console errors. */
export async function openPage(browser, url, { viewport = { width: 1280, height: 800 }, ...contextOptions } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
  await page.goto(url);
  return page;
}

/**
 * The visible terminal rows, read from xterm's buffer through the window.term test hook. A row that
 * the terminal wrapped is joined to the one before it, so a long message reads as the app printed it.
 */
export function readScreen(page) {
  return page.evaluate(() => {
    const t = window.term;
    if (!t) return '';
    const b = t.buffer.active;
    const lines = [];
    for (let i = 0; i < t.rows; i += 1) {
      const line = b.getLine(b.viewportY + i);
      const text = line?.translateToString(true) ?? '';
      if (line?.isWrapped && lines.length) lines[lines.length - 1] = lines.at(-1).padEnd(t.cols) + text;
      else lines.push(text);
    }
    return lines.join('\n').replace(/\s+$/, '');
  });
}

/** Wait until the visible screen contains text or matches a RegExp; returns the screen. */
export async function waitForScreen(page, pattern, timeoutMs = 10000) {
  const test = typeof pattern === 'string' ? (s) => s.includes(pattern) : (s) => pattern.test(s);
  let screen = '';
  await waitUntil(async () => test((screen = await readScreen(page))), {
    timeoutMs, intervalMs: 50, what: `screen text ${pattern}`, detail: () => `screen:\n${screen}`,
  });
  return screen;
}

/** Focus the terminal, type text (then Enter unless enter is false) and wait for pattern on screen. */
export async function typeAndWait(page, text, pattern, { enter = true, timeoutMs = 10000 } = {}) {
  await page.evaluate(() => window.term.focus());
  await page.keyboard.type(text);
  if (enter) await page.keyboard.press('Enter');
  return waitForScreen(page, pattern, timeoutMs);
}

/**
 * Start a server before the tests of the describe block this is called in, and stop it after.
 * Returns an object whose `server` is set once it runs. serverOptions: as for startServer.
 */
export function useServer(serverOptions = {}) {
  const ctx = { server: null };
  before(async () => { ctx.server = await startServer(serverOptions); });
  after(async () => { await ctx.server?.stop(); });
  return ctx;
}

/** Like useServer, with a Chromium too (ctx.browser), closed after the block's tests. */
export function useServerAndBrowser(serverOptions = {}) {
  const ctx = useServer(serverOptions);
  ctx.browser = null;
  before(async () => { ctx.browser = await launchBrowser(); });
  after(async () => { await ctx.browser?.close(); });
  return ctx;
}
