// Settings for the web terminal, read once from the environment.
// Every limit has a default from the design (docs: web-terminal research) and an env override.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHost } from './security.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

function num(env, name, def, { min = 0, max = Number.MAX_SAFE_INTEGER, int = false } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
    throw new Error(`${name} must be a${int ? 'n integer' : ' number'} between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

// Timers take at most 2^31-1 ms, so a setting in seconds stops at ~24 days.
const seconds = (env, name, def, min = 0.05) => Math.round(num(env, name, def, { min, max: 2_000_000 }) * 1000);

function list(raw) {
  return (raw || '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The names a browser uses for this machine: always served (a DNS-rebinding page cannot use them). */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** PUBLIC_HOST: host names without scheme, port or path, normalised as parseHost does. */
function publicHosts(raw) {
  return list(raw).map((entry) => {
    const host = parseHost(entry);
    if (!host || host.port !== undefined) {
      throw new Error(`PUBLIC_HOST lists host names (like statbotic-acme.herokuapp.com, comma-separated), got ${JSON.stringify(entry)}`);
    }
    return host.name;
  });
}

/** ALLOWED_ORIGINS: origins like https://statbotic.example, lower case, without a final slash. */
function allowedOrigins(raw) {
  return list(raw).map((entry) => {
    const origin = entry.replace(/\/+$/, '').toLowerCase();
    let url;
    try {
      url = new URL(origin);
    } catch {
      url = null;
    }
    // As a browser sends it: scheme://host[:port], no path, no default port.
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new Error(`ALLOWED_ORIGINS lists origins (like https://statbotic.example, comma-separated), got ${JSON.stringify(entry)}`);
    }
    return origin;
  });
}

/** Split a command line on spaces, honouring simple '...' and "..." quotes. No shell involved. */
function splitCommand(cmd) {
  const parts = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(cmd)) !== null) parts.push(m[1] ?? m[2] ?? m[3]);
  if (parts.length === 0) throw new Error('APP_CMD is empty');
  return parts;
}

/**
 * The app's command when APP_CMD is not set: the repository's own virtualenv Python when there is one
 * (./scripts/run makes .venv with the requirements, and nobody activates it for `npm start`), else
 * python3 (on Heroku the Python buildpack installs the requirements for the system python3).
 */
function defaultAppCmd(root) {
  const venvPython = path.join(root, '.venv', 'bin', 'python');
  return [fs.existsSync(venvPython) ? venvPython : 'python3', 'run.py'];
}

/** A command as one line for the log, quoting the parts that contain spaces. */
function showCommand(parts) {
  return parts.map((p) => (/\s/.test(p) ? `"${p}"` : p)).join(' ');
}

/** Settings from env; root is the repository (tests give a temporary one). */
function loadConfig(env = process.env, { root = REPO_ROOT } = {}) {
  const cfg = {
    port: num(env, 'PORT', 3000, { min: 0, max: 65535, int: true }),
    // Heroku sets PORT and needs every interface; a bare local run stays on loopback.
    host: env.HOST || (env.PORT ? '0.0.0.0' : '127.0.0.1'),
    appCmd: env.APP_CMD ? splitCommand(env.APP_CMD) : defaultAppCmd(root),
    appCwd: env.APP_CWD ? path.resolve(env.APP_CWD) : root,
    dataDir: env.STATBOTIC_DATA_DIR ? path.resolve(env.STATBOTIC_DATA_DIR) : path.join(root, '.data'),
    sessionsRoot: env.SESSIONS_ROOT ? path.resolve(env.SESSIONS_ROOT) : os.tmpdir(),
    envPass: list(env.APP_ENV_PASS),

    maxSessions: num(env, 'MAX_SESSIONS', 10, { min: 1, int: true }),
    maxSessionsPerIp: num(env, 'MAX_SESSIONS_PER_IP', 2, { min: 1, int: true }),
    maxPending: num(env, 'MAX_PENDING', 5, { min: 1, int: true }),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    allowedOrigins: allowedOrigins(env.ALLOWED_ORIGINS),
    publicHosts: publicHosts(env.PUBLIC_HOST),
    basicAuth: env.BASIC_AUTH || '',

    helloTimeoutMs: seconds(env, 'HELLO_TIMEOUT', 5),
    idleTimeoutMs: seconds(env, 'IDLE_TIMEOUT', 600),
    idleWarningMs: seconds(env, 'IDLE_WARNING', 60),
    maxSessionMs: seconds(env, 'MAX_SESSION_AGE', 3600),
    pingIntervalMs: seconds(env, 'PING_INTERVAL', 25),
    killGraceMs: seconds(env, 'KILL_GRACE', 3),

    maxPayload: num(env, 'MAX_PAYLOAD', 64 * 1024, { min: 1024, int: true }),
    colsMin: num(env, 'COLS_MIN', 40, { min: 2, max: 1000, int: true }),
    colsMax: num(env, 'COLS_MAX', 200, { min: 2, max: 1000, int: true }),
    rowsMin: num(env, 'ROWS_MIN', 10, { min: 2, max: 1000, int: true }),
    rowsMax: num(env, 'ROWS_MAX', 60, { min: 2, max: 1000, int: true }),
    bufferHigh: num(env, 'BUFFER_HIGH', 1024 * 1024, { min: 1024, int: true }),
    bufferLow: num(env, 'BUFFER_LOW', 256 * 1024, { min: 0, int: true }),

    downloadTtlMs: seconds(env, 'DOWNLOAD_TTL', 300),
    exportMaxBytes: num(env, 'EXPORT_MAX_BYTES', 5 * 1024 * 1024, { min: 1, int: true }),
    maxExportsPerSession: num(env, 'MAX_EXPORTS_PER_SESSION', 50, { min: 1, int: true }),
    sessionDirTtlMs: seconds(env, 'SESSION_DIR_TTL', 60, 0), // links of an ended session work this long

    // Share links (/share/TOKEN, web/shares.js): each page is made by the app, within these bounds.
    shareTimeoutMs: seconds(env, 'SHARE_TIMEOUT', 15),
    shareMaxBytes: num(env, 'SHARE_MAX_BYTES', 5 * 1024 * 1024, { min: 1024, int: true }),
    sharePerMinute: num(env, 'SHARE_PER_MINUTE', 30, { min: 1, int: true }),
    shareRenders: num(env, 'SHARE_RENDERS', 4, { min: 1, int: true }),
  };
  const originHosts = cfg.allowedOrigins.map((origin) => parseHost(new URL(origin).host).name);
  cfg.allowedHosts = [...new Set([...LOOPBACK_HOSTS, ...cfg.publicHosts, ...originHosts])];
  if (cfg.colsMin > cfg.colsMax || cfg.rowsMin > cfg.rowsMax) throw new Error('terminal size bounds: MIN > MAX');
  if (cfg.bufferLow >= cfg.bufferHigh) throw new Error('BUFFER_LOW must be below BUFFER_HIGH');
  if (cfg.idleWarningMs >= cfg.idleTimeoutMs) cfg.idleWarningMs = Math.floor(cfg.idleTimeoutMs / 2);
  return cfg;
}

export { loadConfig, splitCommand, showCommand, LOOPBACK_HOSTS, REPO_ROOT };
