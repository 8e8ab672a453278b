// Limits: sessions in total and per address, idle and maximum time, dead sockets, shutdown.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  pidAlive, startServer, TermClient, useServer, waitUntil, withTimeout,
} from './helpers.mjs';

const noSessions = (server) => waitUntil(async () => (await server.health()).sessions === 0, { what: 'sessions back to 0' });

describe('session limits', () => {
  const ctx = useServer({ env: { MAX_SESSIONS: '2', MAX_SESSIONS_PER_IP: '1', TRUST_PROXY: '1' } });

  test('one address gets MAX_SESSIONS_PER_IP sessions, then 4002', async () => {
    const a = await TermClient.open(ctx.server);
    await a.waitFor('fake> ');
    const b = await TermClient.open(ctx.server);
    assert.deepEqual(await b.waitClosed(), { code: 4002, reason: 'busy: too many sessions from your address' });
    await a.close();
    await noSessions(ctx.server);
    const c = await TermClient.open(ctx.server); // the slot is free again
    await c.waitFor('fake> ');
    await c.close();
    await noSessions(ctx.server);
  });

  test('with TRUST_PROXY=1 the last X-Forwarded-For hop is the address; past MAX_SESSIONS: 1013 busy', async () => {
    const open = (xff) => TermClient.open(ctx.server, { headers: { 'x-forwarded-for': xff } });
    const a = await open('203.0.113.9, 198.51.100.1'); // the router's hop is the last one
    await a.waitFor('fake> ');
    const spoofed = await open('198.51.100.2, 198.51.100.1'); // same last hop: same address
    assert.equal((await spoofed.waitClosed()).code, 4002);
    const b = await open('198.51.100.2');
    await b.waitFor('fake> ');
    assert.equal((await ctx.server.health()).sessions, 2);
    const c = await open('198.51.100.3');
    assert.deepEqual(await c.waitClosed(), { code: 1013, reason: 'busy: all sessions in use' });
    assert.deepEqual(await ctx.server.health(), { status: 200, ok: true, sessions: 2, max: 2 });
    await Promise.all([a.close(), b.close()]);
    await noSessions(ctx.server);
  });
});

describe('time limits', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { IDLE_TIMEOUT: '1.2', IDLE_WARNING: '0.6', MAX_SESSION_AGE: '30', PING_INTERVAL: '0.3' } });
  });
  after(() => server?.stop());

  test('idle: a warning, a keystroke lifts it, then close 4000', async () => {
    const t0 = Date.now();
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    await c.waitForMessage((m) => m.t === 'idle', 3000);
    assert.ok(Date.now() - t0 >= 550, `warned too early: ${Date.now() - t0} ms`); // due 600 ms after hello
    assert.deepEqual(c.messages.find((m) => m.t === 'idle'), { t: 'idle', in: 1 });
    c.line('still here');
    await c.waitForMessage((m) => m.t === 'active');
    await c.waitFor('ECHO still here');
    const { code, reason } = await c.waitClosed(4000);
    assert.deepEqual({ code, reason }, { code: 4000, reason: 'idle' });
    assert.equal(c.messages.filter((m) => m.t === 'idle').length, 2);
    await noSessions(server);
  });

  test('a socket that stops answering pings is dropped and its app ended', async () => {
    const sock = await rawSocketSession(server);
    await waitUntil(async () => (await server.health()).sessions === 1, { what: 'the raw session' });
    const start = server.logs.find((l) => l.event === 'session_start' && !l.seen);
    start.seen = true;
    await server.waitForLog((l) => l.event === 'ping_timeout', 3000);
    await waitUntil(() => !pidAlive(start.pid), { what: 'the app to end' });
    await noSessions(server);
    sock.destroy();
  });
});

test('maximum session age: a warning, then close 4001', async () => {
  const server = await startServer({ env: { MAX_SESSION_AGE: '1', IDLE_WARNING: '0.5' } });
  try {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.line('busy typing'); // activity does not extend the maximum
    const { code } = await c.waitClosed(4000);
    assert.equal(code, 4001);
    assert.deepEqual(c.messages.find((m) => m.t === 'ending'), { t: 'ending', in: 1 });
  } finally {
    await server.stop();
  }
});

test('SIGTERM closes every session with 1001, ends the children and exits', async () => {
  const server = await startServer({ env: { KILL_GRACE: '1' } });
  try {
    const clients = await Promise.all([TermClient.open(server), TermClient.open(server)]);
    const pids = [];
    for (const c of clients) {
      await c.waitFor('fake> ');
      const [, pid] = await c.ask('pid', /PID (\d+)/);
      const [, grandchild] = await c.ask('spawn', /CHILD (\d+)/);
      pids.push(Number(pid), Number(grandchild));
    }
    server.proc.kill('SIGTERM');
    for (const c of clients) assert.deepEqual(await c.waitClosed(), { code: 1001, reason: 'server restarting' });
    const exit = await withTimeout(server.exited, 8000, 'the server to exit');
    assert.deepEqual(exit, { code: 0, signal: null });
    for (const pid of pids) await waitUntil(() => !pidAlive(pid), { timeoutMs: 2000, what: `pid ${pid} to end` });
    assert.ok(server.logs.some((l) => l.event === 'stopped' && l.clean === true));
  } finally {
    await server.stop();
  }
});

test("a SIGKILLed server's session folders are swept at the next start; nothing else is", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'statbotic-sweep-'));
  const env = { SESSIONS_ROOT: root };
  try {
    const killed = await startServer({ env });
    const c = await TermClient.open(killed);
    await c.waitFor('fake> ');
    const [, pid] = await c.ask('pid', /PID (\d+)/);
    killed.proc.kill('SIGKILL'); // no drain, no clean-up
    await killed.stop(); // already dead: this only removes its test folder
    await waitUntil(() => !pidAlive(Number(pid)), { what: 'the orphaned app to end' });
    const [left] = fs.readdirSync(root);
    assert.match(left, /^statbotic-web-/, 'the killed server left its session folder');

    // Older than any live session's folder can be (MAX_SESSION_AGE + KILL_GRACE + SESSION_DIR_TTL + 1 min).
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'statbotic-sweep-outside-'));
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'not ours');
    fs.symlinkSync(outside, path.join(root, left, 'home', 'link')); // inside the stale folder: not followed
    const keep = {
      'statbotic-web-Fresh1': 'dir', // another server's live session, sharing SESSIONS_ROOT
      'statbotic-web-Link01': 'symlink', // never followed
      'statbotic-web-File01': 'file',
      'statbotic-web-toolong': 'dir', // not our naming
      'other-folder': 'dir',
      ...(process.getuid() === 0 ? { 'statbotic-web-Other1': 'foreign' } : {}), // owned by someone else
    };
    for (const [name, kind] of Object.entries(keep)) {
      const full = path.join(root, name);
      if (kind === 'symlink') fs.symlinkSync(outside, full);
      else if (kind === 'file') fs.writeFileSync(full, '');
      else fs.mkdirSync(full);
      if (kind === 'foreign') fs.chownSync(full, 65534, 65534);
      if (name !== 'statbotic-web-Fresh1') fs.lutimesSync(full, old, old);
    }
    fs.utimesSync(path.join(root, left), old, old);

    const next = await startServer({ env });
    try {
      assert.deepEqual(fs.readdirSync(root).sort(), Object.keys(keep).sort());
      assert.equal(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8'), 'not ours');
      assert.ok(next.logs.some((l) => l.event === 'swept' && l.dirs === 1), JSON.stringify(next.logs));
    } finally {
      await next.stop();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** A hand-made WebSocket client that says hello and then never reads, so never answers a ping. */
function rawSocketSession(server) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    sock.setTimeout(5000, () => reject(new Error('raw socket timed out')));
    sock.on('error', () => {});
    sock.once('connect', () => {
      sock.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\nUpgrade: websocket\r\n`
        + `Connection: Upgrade\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    sock.once('data', (d) => {
      if (!d.toString().startsWith('HTTP/1.1 101')) return reject(new Error(d.toString()));
      sock.pause(); // from now on: deaf
      const payload = Buffer.from(JSON.stringify({ t: 'hello', cols: 80, rows: 24 }));
      const mask = crypto.randomBytes(4);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
      sock.setTimeout(0);
      resolve(sock);
    });
  });
}
