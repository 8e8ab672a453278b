// One-time download links for files the app exports during a session.
// A token is random, expires in minutes, works only with the browser cookie of the session's browser, is
// deleted before the file is served, dies with the session's folder (SESSION_DIR_TTL after the session ends)
// and maps only to a regular file (no symlinks) in the session's export directory.
// A report (.html) has two such links: /download/<token> (an attachment) and /open/<token>, which shows it
// in a tab of its own: inline, with the site's headers and CSP, sandboxed (no script, an origin of its own).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { log } from './log.js';
import { browserId, safeEqual } from './security.js';

// Visible names only: a leading dot marks a temporary file that is still being written.
const EXPORT_NAME = /^(?!\.)[\w.-]{1,100}\.(json|csv|html)$/;
const TOKEN_PATH = /^\/(download|open)\/([A-Za-z0-9_-]{43})$/;
const TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' };
const OPENABLE = /\.html$/; // the files offered to open in a tab too: the reports

class Downloads {
  constructor({ downloadTtlMs, exportMaxBytes }) {
    this.ttlMs = downloadTtlMs;
    this.maxBytes = exportMaxBytes;
    this.tokens = new Map(); // token -> { path, name, sid, browser, expires, inline }
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  /** A token for the file: to download it (an attachment), or with inline to open it in a tab (a report). */
  mint(filePath, name, sid, browser, { inline = false } = {}) {
    const token = crypto.randomBytes(32).toString('base64url');
    this.tokens.set(token, { path: filePath, name, sid, browser, expires: Date.now() + this.ttlMs, inline });
    return token;
  }

  /** Whether a file of this name is also offered to open in a tab (/open/<token>). */
  static openable(name) {
    return OPENABLE.test(name);
  }

  /**
   * The token's entry when it is live and browser is the one it was made for. Taking it removes it, whatever
   * happens next: a second request gets 404. Another browser's request leaves it for its own browser.
   */
  take(token, browser) {
    const entry = this.tokens.get(token);
    if (!entry) return null;
    if (entry.expires <= Date.now()) {
      this.tokens.delete(token);
      return null;
    }
    if (!browser || !safeEqual(browser, entry.browser)) return null;
    this.tokens.delete(token);
    return entry;
  }

  dropSession(sid) {
    for (const [token, entry] of this.tokens) if (entry.sid === sid) this.tokens.delete(token);
  }

  sweep() {
    const now = Date.now();
    for (const [token, entry] of this.tokens) if (entry.expires <= now) this.tokens.delete(token);
  }

  close() {
    clearInterval(this.sweeper);
    this.tokens.clear();
  }

  /** Handles GET /download/<token> and /open/<token>. Returns false when the path is neither. */
  handle(req, res, pathname, notFound) {
    const m = TOKEN_PATH.exec(pathname);
    if (!m) return false;
    if (req.method !== 'GET') {
      notFound(res);
      return true;
    }
    const inline = m[1] === 'open';
    const entry = this.tokens.get(m[2])?.inline === inline ? this.take(m[2], browserId(req)) : null;
    if (!entry) {
      log('download', { ok: false });
      notFound(res);
      return true;
    }
    this.send(entry, res, notFound);
    return true;
  }

  async send(entry, res, notFound) {
    let fh;
    try {
      fh = await fs.promises.open(entry.path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      const st = await fh.stat();
      if (!st.isFile() || st.size > this.maxBytes) throw new Error('not a regular file');
      const ext = path.extname(entry.name).slice(1);
      const shown = entry.inline && ext === 'html';
      res.writeHead(200, {
        'Content-Type': TYPES[ext] || 'application/octet-stream',
        'Content-Length': st.size,
        'Content-Disposition': `${shown ? 'inline' : 'attachment'}; filename="${entry.name}"`,
        'Cache-Control': 'no-store',
        // The site's CSP, and sandboxed: a report opened in a tab runs nothing and gets an origin of its own.
        ...(shown ? { 'Content-Security-Policy': `${res.getHeader('Content-Security-Policy')}; sandbox` } : {}),
      });
      log('download', { ok: true, sid: entry.sid, bytes: st.size, inline: shown });
      if (st.size === 0) {
        await fh.close();
        res.end();
        return;
      }
      // Never send more than Content-Length promised, even if the file grows meanwhile.
      const stream = fh.createReadStream({ start: 0, end: st.size - 1 });
      pipeline(stream, res, () => {});
    } catch {
      if (fh) await fh.close().catch(() => {});
      log('download', { ok: false, sid: entry.sid });
      notFound(res);
    }
  }
}

/** Watches a session's export directory and reports each new or rewritten regular file once. */
class ExportWatcher {
  constructor(dir, { maxBytes, maxFiles, onFile }) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.onFile = onFile;
    this.seen = new Set();
    this.timer = null;
    this.closed = false;
    this.watcher = fs.watch(dir, () => this.poke());
    this.watcher.on('error', () => this.close());
  }

  poke() {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.scan(), 200); // debounce: let the writer finish
  }

  async scan() {
    clearTimeout(this.timer);
    if (this.closed) return;
    let names;
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (!EXPORT_NAME.test(name) || this.seen.size >= this.maxFiles) continue;
      const full = path.join(this.dir, name);
      let st;
      try {
        st = await fs.promises.lstat(full);
      } catch {
        continue;
      }
      if (!st.isFile() || st.size > this.maxBytes) continue;
      const key = `${name}:${st.ino}:${st.mtimeMs}:${st.size}`;
      if (this.seen.has(key) || this.closed) continue;
      this.seen.add(key);
      this.onFile(name, full, st.size);
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.watcher.close();
  }
}

export { Downloads, ExportWatcher, EXPORT_NAME };
