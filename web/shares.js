// Read-only share links, GET /share/<token> (made by `statbotic share`): the report of a live share, made
// by the app from the store each time it is opened (late corrections show). The token goes to the app on
// stdin, never in its argv (which `ps` shows to every user of the machine). An unknown, expired or revoked
// token is the same plain 404, by the same path: the app hashes it and makes one indexed read.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildChildEnv } from './childenv.js';
import { signalGroup } from './groups.js';
import { log } from './log.js';
import { SESSION_DIR_PREFIX } from './sweep.js';

const SHARE_PATH = '/share/';
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // secrets.token_urlsafe(32): 256 bits, base64url without padding
const PAGE_COMMAND = 'share-page'; // statbotic/share_command.py
const NO_SUCH_SHARE = 4; // its exit status when no live share has the token
const WINDOW_MS = 60_000; // SHARE_PER_MINUTE counts requests per address in this window
const ROBOTS = 'noindex, nofollow';

/** Signal a whole process group; quiet when it is gone already. */
class Shares {
  constructor(cfg) {
    this.cfg = cfg;
    this.hits = new Map(); // address -> { start, count } of its current window
    this.pruned = Date.now();
    this.rendering = 0;
    this.children = new Set();
  }

  close() {
    for (const child of this.children) signalGroup(child.pid, 'SIGKILL');
    this.hits.clear();
  }

  /** Handles GET /share/<token>; false when the path is not a share's. */
  handle(req, res, pathname, address, notFound) {
    if (!pathname.startsWith(SHARE_PATH)) return false;
    res.setHeader('X-Robots-Tag', ROBOTS); // Referrer-Policy no-referrer: the site's base headers
    if (!this.allowed(address)) {
      log('share', { status: 429, addr: address });
      return this.plain(res, 429, 'Too many requests: try again in a minute', { 'Retry-After': '60' });
    }
    const token = pathname.slice(SHARE_PATH.length);
    if (!TOKEN.test(token)) {
      notFound(res);
      return true;
    }
    if (this.rendering >= this.cfg.shareRenders) {
      log('share', { status: 503, reason: 'busy', addr: address });
      return this.plain(res, 503, 'Busy: try again in a moment', { 'Retry-After': '5' });
    }
    this.rendering += 1;
    const started = Date.now();
    this.render(token)
      .then(({ status, html, reason }) => {
        log('share', { status, ms: Date.now() - started, addr: address, ...(reason ? { reason } : {}) });
        if (status === 200) return this.page(req, res, html);
        if (status === 404) return notFound(res);
        return this.plain(res, 503, 'The report could not be made: try again in a moment');
      })
      .finally(() => {
        this.rendering -= 1;
      });
    return true;
  }

  /** Counts the request against its address's window; false when over SHARE_PER_MINUTE. */
  allowed(address) {
    const now = Date.now();
    if (now - this.pruned > WINDOW_MS) {
      for (const [key, hit] of this.hits) if (now - hit.start >= WINDOW_MS) this.hits.delete(key);
      this.pruned = now;
    }
    let hit = this.hits.get(address);
    if (!hit || now - hit.start >= WINDOW_MS) {
      hit = { start: now, count: 0 };
      this.hits.set(address, hit);
    }
    hit.count += 1;
    return hit.count <= this.cfg.sharePerMinute;
  }

  page(req, res, html) {
    if (res.destroyed) return;
    const body = Buffer.from(html, 'utf8');
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      // The site's CSP, and sandboxed as an opened report is (downloads.js): the page runs nothing and
      // gets an origin of its own, though the app made it on the terminal's origin.
      'Content-Security-Policy': `${res.getHeader('Content-Security-Policy')}; sandbox`,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  plain(res, status, text, extra = {}) {
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(text + '\n');
    return true;
  }

  /**
   * Runs the app's `share-page` with the token on stdin, in a private folder of its own (removed after;
   * one a killed server left is swept with the sessions' folders), within SHARE_TIMEOUT and SHARE_MAX_BYTES.
   * Resolves { status: 200, html } | { status: 404 } | { status: 503, reason }.
   */
  render(token) {
    const cfg = this.cfg;
    return new Promise((resolve) => {
      let dir;
      let child;
      try {
        dir = fs.mkdtempSync(path.join(cfg.sessionsRoot, SESSION_DIR_PREFIX)); // mode 0700
        const env = buildChildEnv(process.env, { home: dir, exportDir: dir, dataDir: cfg.dataDir }, cfg.envPass);
        const [file, ...args] = cfg.appCmd;
        child = spawn(file, [...args, PAGE_COMMAND], {
          cwd: cfg.appCwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true,
        });
      } catch (err) {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        return resolve({ status: 503, reason: err.code || 'spawn' });
      }
      this.children.add(child);
      const chunks = [];
      let bytes = 0;
      let stderr = '';
      let failure = null;
      const stop = (reason) => {
        failure = failure || reason;
        signalGroup(child.pid, 'SIGKILL');
      };
      const timer = setTimeout(() => stop('timeout'), cfg.shareTimeoutMs);
      child.stdout.on('data', (chunk) => {
        bytes += chunk.length;
        if (bytes > cfg.shareMaxBytes) return stop('too large');
        chunks.push(chunk);
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text) => {
        if (stderr.length < 1000) stderr += text;
      });
      child.stdin.on('error', () => {}); // an app that ended without reading: its exit says why
      child.stdin.end(token + '\n');
      child.on('error', (err) => {
        // Not started (no such program): no 'close' may follow, so answer now (a promise settles once).
        clearTimeout(timer);
        this.children.delete(child);
        fs.rmSync(dir, { recursive: true, force: true });
        resolve({ status: 503, reason: err.code || 'spawn' });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        this.children.delete(child);
        fs.rmSync(dir, { recursive: true, force: true });
        if (failure) return resolve({ status: 503, reason: failure });
        if (code === 0) return resolve({ status: 200, html: Buffer.concat(chunks).toString('utf8') });
        if (code === NO_SUCH_SHARE) return resolve({ status: 404 });
        // The app's own one-line message (a store that can't be reached): for the log, never the visitor.
        resolve({ status: 503, reason: `exit ${code}: ${stderr.trim().split('\n').pop()?.slice(0, 200) || ''}` });
      });
    });
  }
}

export { Shares, SHARE_PATH, TOKEN as SHARE_TOKEN };
