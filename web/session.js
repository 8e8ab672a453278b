// One browser connection = one pty running the app, with its own HOME and export directory.
// Lifecycle: connected -> (hello) -> running -> closing -> finished (socket closed and child gone).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pty from 'node-pty';
import { buildChildEnv } from './childenv.js';
import { Downloads, ExportWatcher } from './downloads.js';
import { signalGroup } from './groups.js';
import { log } from './log.js';
import { CLOSE, MSG } from './public/js/protocol.js';
import { SESSION_DIR_PREFIX } from './sweep.js';

class Session {
  constructor(manager, ws, address, browser) {
    this.manager = manager;
    this.cfg = manager.cfg;
    this.ws = ws;
    this.address = address;
    this.browser = browser;
    this.id = crypto.randomBytes(6).toString('hex');
    this.started = Date.now();
    this.pty = null;
    this.exitCode = null;
    this.exited = false;
    this.closing = false;
    this.wsClosed = false;
    this.finished = false;
    this.paused = false;
    this.pauses = 0;
    this.bufferedMax = 0;
    this.alive = true;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.files = 0;
    this.toldNoCookie = false;
    this.timers = {};
    this.dir = null;
    this.watcher = null;

    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => { this.alive = true; });
    ws.on('error', (err) => log('socket_error', { sid: this.id, error: err.code || err.message }));
    ws.on('close', (code) => this.onSocketClose(code));
    this.timers.hello = setTimeout(() => this.close(CLOSE.REFUSED, 'no hello'), this.cfg.helloTimeoutMs);
    this.timers.ping = setInterval(() => this.ping(), this.cfg.pingIntervalMs);
  }

  // ---- messages from the page ----

  onMessage(data, isBinary) {
    if (this.closing || this.exited) return; // after exit the pty's descriptor is gone
    if (isBinary) {
      if (!this.pty) return this.close(CLOSE.REFUSED, 'hello first');
      this.bytesIn += data.length;
      this.pty.write(data);
      this.touch();
      return;
    }
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return this.close(CLOSE.REFUSED, 'bad message');
    }
    const size = msg && typeof msg === 'object' ? this.size(msg) : null;
    if (msg?.t === MSG.HELLO && size && !this.pty) return this.start(size);
    if (msg?.t === MSG.RESIZE && size && this.pty) return this.resize(size);
    this.close(CLOSE.REFUSED, 'bad message');
  }

  /** Integer cols/rows, clamped to the configured bounds; null when not integers. */
  size({ cols, rows }) {
    if (!Number.isInteger(cols) || !Number.isInteger(rows)) return null;
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return { cols: clamp(cols, this.cfg.colsMin, this.cfg.colsMax), rows: clamp(rows, this.cfg.rowsMin, this.cfg.rowsMax) };
  }

  resize({ cols, rows }) {
    try {
      this.pty.resize(cols, rows);
    } catch {
      // the child is exiting: its exit ends the session
    }
  }

  // ---- the child ----

  start({ cols, rows }) {
    clearTimeout(this.timers.hello);
    const refusal = this.manager.admit(this);
    if (refusal) {
      log('refused', { reason: refusal.reason, code: refusal.code, addr: this.address, sessions: this.manager.count });
      return this.close(refusal.code, refusal.reason);
    }
    const cfg = this.cfg;
    try {
      this.dir = fs.mkdtempSync(path.join(cfg.sessionsRoot, SESSION_DIR_PREFIX)); // mode 0700
      const home = path.join(this.dir, 'home');
      const exportDir = path.join(this.dir, 'exports');
      fs.mkdirSync(home, { mode: 0o700 });
      fs.mkdirSync(exportDir, { mode: 0o700 });
      const env = buildChildEnv(process.env, { home, exportDir, dataDir: cfg.dataDir }, cfg.envPass);
      this.watcher = new ExportWatcher(exportDir, {
        maxBytes: cfg.exportMaxBytes,
        maxFiles: cfg.maxExportsPerSession,
        onFile: (name, full, bytes) => this.offerFile(name, full, bytes),
      });
      const [file, ...args] = cfg.appCmd;
      this.pty = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: cfg.appCwd, env, encoding: null });
    } catch (err) {
      log('spawn_failed', { sid: this.id, error: err.code || err.message });
      this.send({ t: MSG.ERROR, message: 'The app could not be started.' });
      return this.close(CLOSE.SPAWN_FAILED, 'spawn failed');
    }
    this.pty.onData((buf) => this.onOutput(buf));
    this.pty.onExit(({ exitCode }) => this.onChildExit(exitCode));
    log('session_start', { sid: this.id, addr: this.address, pid: this.pty.pid, cols, rows, sessions: this.manager.count });
    this.touch();
    const warn = Math.min(cfg.idleWarningMs, cfg.maxSessionMs / 2);
    this.timers.ageWarn = setTimeout(() => this.send({ t: MSG.ENDING, in: Math.round(warn / 1000) }), cfg.maxSessionMs - warn);
    this.timers.age = setTimeout(() => this.close(CLOSE.MAX_AGE, 'maximum session time'), cfg.maxSessionMs);
  }

  onOutput(buf) {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.bytesOut += buf.length;
    this.ws.send(buf, { binary: true });
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.bufferedMax) this.bufferedMax = buffered;
    if (!this.paused && buffered > this.cfg.bufferHigh) this.pause();
  }

  /** Back-pressure: stop reading the pty until the socket has drained. */
  pause() {
    if (this.pauses++ === 0) log('backpressure', { sid: this.id, buffered: this.ws.bufferedAmount });
    this.paused = true;
    this.pty.pause();
    this.timers.drain = setInterval(() => {
      if (this.ws.bufferedAmount <= this.cfg.bufferLow || this.closing) this.resume();
    }, 20);
  }

  resume() {
    clearInterval(this.timers.drain);
    if (!this.paused) return;
    this.paused = false;
    this.pty.resume();
  }

  /**
   * A link bound to the browser that opened the session; it works until it expires, or at most
   * SESSION_DIR_TTL after the session ends (grace). Without the browser cookie there is no link to give.
   */
  offerFile(name, full, bytes) {
    if (!this.browser) {
      log('file_refused', { sid: this.id, reason: 'no browser cookie' });
      if (!this.toldNoCookie) this.send({ t: MSG.ERROR, message: 'Downloads need cookies: allow them for this site, then start again.' });
      this.toldNoCookie = true;
      return;
    }
    const { downloads } = this.manager;
    const token = downloads.mint(full, name, this.id, this.browser);
    // A report (.html) can also be opened in a tab: a second one-time link of its own.
    const open = Downloads.openable(name) ? { open: `/open/${downloads.mint(full, name, this.id, this.browser, { inline: true })}` } : {};
    this.files += 1;
    log('file_offered', { sid: this.id, bytes });
    const { downloadTtlMs, sessionDirTtlMs } = this.cfg;
    this.send({ t: MSG.FILE, name, url: `/download/${token}`, ...open, expires: Math.round(downloadTtlMs / 1000), grace: sessionDirTtlMs / 1000 });
  }

  async onChildExit(code) {
    this.exited = true;
    this.exitCode = code;
    clearTimeout(this.timers.kill);
    signalGroup(this.pty.pid, 'SIGKILL'); // anything the app left behind in its group
    if (!this.closing) {
      await this.watcher.scan(); // an export written just before exit still gets its link
      this.send({ t: MSG.EXIT, code });
      this.close(CLOSE.APP_EXITED, 'app exited');
    }
    this.maybeFinish();
  }

  // ---- timers ----

  /** A keystroke: restart the idle clock, and lift a warning if one is showing. */
  touch() {
    clearTimeout(this.timers.idle);
    if (this.idleWarned) {
      this.idleWarned = false;
      this.send({ t: MSG.ACTIVE });
    }
    const { idleTimeoutMs, idleWarningMs } = this.cfg;
    this.timers.idle = setTimeout(() => {
      this.idleWarned = true;
      this.send({ t: MSG.IDLE, in: Math.round(idleWarningMs / 1000) });
      this.timers.idle = setTimeout(() => this.close(CLOSE.IDLE, 'idle'), idleWarningMs);
    }, idleTimeoutMs - idleWarningMs);
  }

  /** A socket that missed the last pong is dead (a dropped network never says goodbye). */
  ping() {
    if (!this.alive) {
      log('ping_timeout', { sid: this.id });
      this.ws.terminate();
      return;
    }
    this.alive = false;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  // ---- ending ----

  send(obj) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(obj));
  }

  close(code, reason) {
    if (this.closing) return;
    this.closing = true;
    this.closeCode = code;
    this.closeReason = reason;
    this.manager.release(this);
    for (const name of ['hello', 'idle', 'ageWarn', 'age']) clearTimeout(this.timers[name]);
    if (this.ws.readyState === this.ws.OPEN) {
      this.ws.close(code, reason);
      // Do not wait ws's 30 s for a peer that never answers the close frame.
      this.timers.terminate = setTimeout(() => this.ws.terminate(), 2000);
    }
    this.endChild();
  }

  endChild() {
    if (!this.pty || this.exited) return;
    if (this.paused) this.resume(); // a paused pty never reports the exit
    signalGroup(this.pty.pid, 'SIGHUP');
    this.timers.kill = setTimeout(() => this.kill(), this.cfg.killGraceMs);
  }

  /** SIGKILL to the app's whole process group, unless it has already gone. */
  kill() {
    if (this.pty && !this.exited) signalGroup(this.pty.pid, 'SIGKILL');
  }

  onSocketClose(code) {
    this.wsClosed = true;
    clearTimeout(this.timers.terminate);
    clearInterval(this.timers.ping);
    if (!this.closing) this.close(code, 'socket closed');
    this.maybeFinish();
  }

  maybeFinish() {
    if (this.finished || !this.wsClosed || (this.pty && !this.exited)) return;
    this.finished = true;
    for (const t of Object.values(this.timers)) clearTimeout(t);
    clearInterval(this.timers.drain);
    if (this.watcher) this.watcher.close();
    log('session_end', {
      sid: this.id,
      reason: this.closeReason,
      close_code: this.closeCode,
      exit_code: this.exitCode,
      duration_ms: Date.now() - this.started,
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      files: this.files,
      pauses: this.pauses,
      buffered_max: this.bufferedMax,
    });
    this.manager.finished(this);
  }
}

export { Session };
