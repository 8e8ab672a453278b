#!/usr/bin/env node
// Load benchmark for the web terminal: N concurrent sessions against a local server on 127.0.0.1.
//
//   node benchmarks/web_load.mjs [N ...] [--rounds=R] [--keys=K]
//   APP_CMD='.venv/bin/python run.py' node benchmarks/web_load.mjs [--prompt='Choose an option']
//
// For each N (default 10 25 50) it opens N sessions at once, then every session types R rounds of
// K keys (each keystroke timed until its echo comes back through pty -> server -> WebSocket) and Enter
// (timed until the app has answered the line and prompted again). Memory: RSS and PSS summed over the
// server and all its descendants from /proc. The app is the fake test app unless APP_CMD is set; with
// another app only key echo is timed (the typed keys are then erased with Ctrl-U instead of Enter).
// Target: 25 sessions with a p95 key echo under 50 ms. Only loopback traffic; every loop is bounded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { FAKE_APP, startServer, waitUntil } from '../tests/web/helpers.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const counts = args.filter((a) => /^\d+$/.test(a)).map(Number);
const NS = counts.length ? counts : [10, 25, 50];
const ROUNDS = opt('rounds', 5);
const KEYS = opt('keys', 8);
const TIMEOUT_MS = 10000;

// The real interpreter, not a version-manager shim, so start-up time is the app's own.
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const appCmd = process.env.APP_CMD || `"${python}" "${FAKE_APP}"`;
const fake = !process.env.APP_CMD;
const PROMPT = args.find((a) => a.startsWith('--prompt='))?.slice(9) ?? (fake ? 'fake> ' : 'Choose an option');

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** pid plus every descendant, from /proc/<pid>/stat parent links. */
function processTree(root) {
  const parent = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

function memoryKiB(pid) {
  const read = (file, key) => {
    try {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(file, 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  };
  return { rss: read(`/proc/${pid}/status`, 'VmRSS'), pss: read(`/proc/${pid}/smaps_rollup`, 'Pss') };
}

function memory(serverPid) {
  const tree = processTree(serverPid);
  const server = memoryKiB(serverPid);
  const children = tree.slice(1).map(memoryKiB);
  const sum = (list, k) => list.reduce((a, m) => a + m[k], 0);
  return { serverRss: server.rss, childRss: sum(children, 'rss'), childPss: sum(children, 'pss'), serverPss: server.pss, children: children.length };
}

/** One session, event-driven (no polling, so the timings are the real ones). */
class Session {
  constructor(url, origin) {
    this.ws = new WebSocket(url, { origin, perMessageDeflate: false });
    this.text = '';
    this.waiter = null;
    this.decoder = new TextDecoder();
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      this.text += this.decoder.decode(data, { stream: true });
      if (this.text.length > 100000) this.text = this.text.slice(-1000);
      if (this.waiter && this.text.includes(this.waiter.needle)) this.waiter.resolve();
    });
    this.ws.on('error', () => {});
    this.closed = new Promise((resolve) => this.ws.on('close', (code) => resolve(code)));
  }

  opened() {
    return new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
  }

  /** Clear the buffer, send bytes, resolve when needle arrives; returns milliseconds. */
  async roundTrip(bytes, needle) {
    this.text = '';
    const start = performance.now();
    const arrived = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(needle)} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.waiter = { needle, resolve: () => { clearTimeout(timer); resolve(); } };
      if (this.text.includes(needle)) this.waiter.resolve();
    });
    if (bytes !== null) this.ws.send(Buffer.from(bytes), { binary: true });
    await arrived;
    this.waiter = null;
    return performance.now() - start;
  }
}

async function run(server, n) {
  const t0 = performance.now();
  const sessions = Array.from({ length: n }, () => new Session(server.wsUrl, server.url));
  await Promise.all(sessions.map(async (s) => {
    await s.opened();
    s.ws.send(JSON.stringify({ t: 'hello', cols: 80, rows: 24 }));
    await s.roundTrip(null, PROMPT);
  }));
  const startMs = performance.now() - t0;
  const idleMem = memory(server.proc.pid);

  const keyMs = [];
  const lineMs = [];
  await Promise.all(sessions.map(async (s, i) => {
    await sleep((i * 7) % 50); // do not start in lockstep
    for (let r = 0; r < ROUNDS; r += 1) {
      let typed = '';
      for (let k = 0; k < KEYS; k += 1) {
        const ch = String.fromCharCode(97 + ((i + r + k) % 26));
        typed += ch;
        keyMs.push(await s.roundTrip(ch, ch)); // the pty echoes each key back
        await sleep(20 + ((i + k) % 5) * 10); // a fast typist: 20-60 ms between keys
      }
      if (fake) lineMs.push(await s.roundTrip('\r', `ECHO ${typed}\r\nfake> `));
      else s.ws.send(Buffer.from('\x15'), { binary: true }); // Ctrl-U: erase the line
    }
  }));
  const busyMem = memory(server.proc.pid);
  await Promise.all(sessions.map((s) => { s.ws.close(1000); return s.closed; }));
  await waitUntil(async () => (await server.health()).sessions === 0, { timeoutMs: 15000, what: 'sessions to end' });
  keyMs.sort((a, b) => a - b);
  lineMs.sort((a, b) => a - b);
  return { n, startMs, keyMs, lineMs, idleMem, busyMem };
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const mib = (kib) => fmt(kib / 1024, 1);

const maxN = Math.max(...NS);
const server = await startServer({
  appCmd,
  env: { MAX_SESSIONS: String(maxN + 5), MAX_SESSIONS_PER_IP: String(maxN + 5), IDLE_TIMEOUT: '600' },
});
const results = [];
try {
  const base = memory(server.proc.pid);
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} CPUs; app: ${appCmd}`);
  console.log(`each session: ${ROUNDS} rounds x ${KEYS} keys + ${fake ? 'Enter' : 'Ctrl-U'}; server alone: RSS ${mib(base.serverRss)} MiB\n`);
  await run(server, 1); // warm-up: the app's first start creates its data store and bytecode caches
  for (const n of NS) {
    process.stderr.write(`running N=${n}...\n`);
    results.push(await run(server, n));
  }
} finally {
  await server.stop();
}

const header = ['N', 'start all (ms)', 'key echo p50', 'key p95', 'key max', 'line p50', 'line p95',
  'server RSS MiB', 'children RSS MiB', 'children PSS MiB', 'PSS/session MiB'];
const rows = results.map((r) => [
  r.n, fmt(r.startMs, 0), fmt(percentile(r.keyMs, 50)), fmt(percentile(r.keyMs, 95)), fmt(r.keyMs.at(-1)),
  fmt(percentile(r.lineMs, 50)), fmt(percentile(r.lineMs, 95)),
  mib(Math.max(r.idleMem.serverRss, r.busyMem.serverRss)), mib(r.busyMem.childRss), mib(r.busyMem.childPss),
  mib(r.busyMem.childPss / r.n),
].map(String));
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
console.log('\nlatencies in ms; key = keystroke to its echo; line = Enter to the app\'s answer and next prompt.');
const at25 = results.find((r) => r.n === 25);
if (at25) {
  const p95 = percentile(at25.keyMs, 95);
  console.log(`target: 25 sessions, p95 key echo < 50 ms: ${fmt(p95)} ms -> ${p95 < 50 ? 'MET' : 'NOT MET'}`);
}
