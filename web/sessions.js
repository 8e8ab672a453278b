// All live sessions: admission (total, per-address and pending limits), bookkeeping, drain on shutdown.
import fs from 'node:fs';
import { Session } from './session.js';
import { log } from './log.js';
import { CLOSE } from './public/js/protocol.js';
import { sweepStaleDirs } from './sweep.js';

const BUSY = { code: CLOSE.BUSY, reason: 'busy: all sessions in use' };
const SWEEP_EVERY_MS = 10 * 60 * 1000;
const SWEEP_SLACK_MS = 60 * 1000;

class SessionManager {
  constructor(cfg, downloads) {
    this.cfg = cfg;
    this.downloads = downloads;
    this.sessions = new Set(); // every session until its child is gone (drain waits for these)
    // Not yet closing: pending ones (connected, no hello yet) count against MAX_PENDING, admitted ones (running
    // the app) against MAX_SESSIONS, and both against their own address's MAX_SESSIONS_PER_IP.
    this.pending = new Set();
    this.admitted = new Set();
    this.perAddress = new Map();
    this.draining = false;
    this.dirs = new Map(); // session dir -> removal timer, kept after the session for its downloads
    this.idleWaiters = [];
    this.sweepStale();
    this.sweeper = setInterval(() => this.sweepStale(), SWEEP_EVERY_MS).unref();
  }

  /**
   * Remove the session folders a killed server left in SESSIONS_ROOT: at start, then every 10 minutes.
   * Stale means older than any live session's folder can be: its session lasts MAX_SESSION_AGE at most,
   * its app gets KILL_GRACE, its folder stays SESSION_DIR_TTL, plus a minute.
   */
  sweepStale() {
    const { sessionsRoot, maxSessionMs, killGraceMs, sessionDirTtlMs } = this.cfg;
    const dirs = sweepStaleDirs(sessionsRoot, maxSessionMs + killGraceMs + sessionDirTtlMs + SWEEP_SLACK_MS);
    if (dirs) log('swept', { dirs });
  }

  /** Sessions in use. One that is closing no longer counts: its process ends within KILL_GRACE. */
  get count() {
    return this.admitted.size;
  }

  /** Why a new connection from this address cannot wait for its hello, or null. */
  refusal(address) {
    if (this.draining) return { code: CLOSE.SERVER_RESTARTING, reason: 'server restarting' };
    if (this.admitted.size >= this.cfg.maxSessions) return BUSY;
    if ((this.perAddress.get(address) || 0) >= this.cfg.maxSessionsPerIp) {
      return { code: CLOSE.ADDRESS_LIMIT, reason: 'busy: too many sessions from your address' };
    }
    if (this.pending.size >= this.cfg.maxPending) return { code: CLOSE.BUSY, reason: 'busy: too many connections starting' };
    return null;
  }

  /** browser: the browser cookie sent with the upgrade (or null), which the session's download links need. */
  add(ws, address, browser) {
    const session = new Session(this, ws, address, browser);
    this.sessions.add(session);
    this.pending.add(session);
    this.perAddress.set(address, (this.perAddress.get(address) || 0) + 1);
    return session;
  }

  /** The session said hello: it runs the app if one of MAX_SESSIONS is free; else the refusal. */
  admit(session) {
    if (this.admitted.size >= this.cfg.maxSessions) return BUSY;
    this.pending.delete(session);
    this.admitted.add(session);
    return null;
  }

  /** Free the session's place (so Restart works at the limit); called when it starts closing. */
  release(session) {
    if (!this.pending.delete(session) && !this.admitted.delete(session)) return;
    const left = (this.perAddress.get(session.address) || 1) - 1;
    if (left > 0) this.perAddress.set(session.address, left);
    else this.perAddress.delete(session.address);
  }

  finished(session) {
    this.release(session);
    if (!this.sessions.delete(session)) return;
    if (session.dir) {
      const dir = session.dir;
      const timer = setTimeout(() => this.removeDir(dir, session.id), this.cfg.sessionDirTtlMs);
      timer.unref();
      this.dirs.set(dir, { timer, sid: session.id });
    }
    if (this.sessions.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  removeDir(dir, sid) {
    const entry = this.dirs.get(dir);
    if (entry) clearTimeout(entry.timer);
    this.dirs.delete(dir);
    this.downloads.dropSession(sid);
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  }

  /**
   * Close every session (SERVER_RESTARTING) and wait until every child is gone, or timeoutMs;
   * then SIGKILL whatever is left. Resolves true when all ended on their own.
   */
  drain(timeoutMs) {
    this.draining = true;
    clearInterval(this.sweeper);
    const done = new Promise((resolve) => {
      if (this.sessions.size === 0) resolve(true);
      else this.idleWaiters.push(() => resolve(true));
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
    for (const s of this.sessions) s.close(CLOSE.SERVER_RESTARTING, 'server restarting');
    return done.then((clean) => {
      if (!clean) log('drain_timeout', { sessions: this.sessions.size });
      for (const s of this.sessions) s.kill();
      for (const [dir, { sid }] of this.dirs) this.removeDir(dir, sid);
      return clean;
    });
  }
}

export { SessionManager };
