// WebSocket-level tests against the real server and the fake app.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidAlive, startServer, TermClient, waitUntil } from './helpers.mjs';

describe('a session over WebSocket', () => {
  let server;
  before(async () => {
    server = await startServer({
      env: { STATBOTIC_TEAM: 'web-test', MONGODB_URI: 'mongodb://example.invalid/x', SERVER_SECRET: 'do-not-leak', KILL_GRACE: '1' },
    });
  });
  after(() => server?.stop());

  test('the app starts after hello, shows a prompt without newline and echoes', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('Fake Statbotic ready');
    await c.waitFor(/fake> $/);
    await c.ask('hello there', 'ECHO hello there');
    await c.ask('héllo ✓', 'ECHO héllo ✓');
    await c.close();
  });

  test('hello size and resize reach the app, clamped to the bounds', async () => {
    const c = await TermClient.open(server, { cols: 91, rows: 27 });
    await c.waitFor('fake> ');
    await c.ask('size', 'SIZE 91x27');
    c.resize(120, 40);
    await c.ask('size', 'SIZE 120x40');
    c.resize(5, 500);
    await c.ask('size', 'SIZE 40x60');
    await c.close();
  });

  test('Ctrl-C interrupts and Ctrl-D ends input', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.type('\x03');
    await c.waitFor('INTERRUPTED');
    await c.waitFor('fake> ');
    c.type('\x04');
    await c.waitFor('EOF');
    assert.deepEqual(await c.waitClosed(), { code: 1000, reason: 'app exited' });
    assert.deepEqual(c.messages.at(-1), { t: 'exit', code: 0 });
  });

  test('exit sends the exit code, closes with 1000 and frees the slot', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.line('exit 3');
    await c.waitFor('bye');
    assert.equal((await c.waitClosed()).code, 1000);
    assert.deepEqual(c.messages.at(-1), { t: 'exit', code: 3 });
    await waitUntil(async () => (await server.health()).sessions === 0, { what: 'sessions back to 0' });
  });

  test('resizes and keys racing the exit do not hurt the server', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.line('exit');
    for (let i = 0; i < 50 && c.ws.readyState === c.ws.OPEN; i += 1) {
      c.resize(80 + (i % 10), 24);
      c.type('x');
      await sleep(2);
    }
    assert.equal((await c.waitClosed()).code, 1000);
    assert.equal((await server.health()).ok, true);
    assert.equal(server.proc.exitCode, null);
  });

  test('the child sees an allowlisted environment only', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    const [envLine] = await c.ask('env', /ENV [^\r\n]*/);
    const names = envLine.slice(4).split(' ');
    for (const name of ['PATH', 'HOME', 'LANG', 'TERM', 'PYTHONUNBUFFERED', 'PYTHONIOENCODING', 'STATBOTIC_EXPORT_DIR', 'STATBOTIC_DATA_DIR', 'STATBOTIC_TEAM', 'STATBOTIC_WEB', 'MONGODB_URI']) {
      assert.ok(names.includes(name), `${name} missing from ${envLine}`);
    }
    for (const name of ['SERVER_SECRET', 'APP_CMD', 'PORT', 'SESSIONS_ROOT', 'KILL_GRACE']) {
      assert.ok(!names.includes(name), `${name} leaked into the child`);
    }
    await c.ask('getenv TERM', 'TERM=xterm-256color');
    await c.ask('getenv STATBOTIC_TEAM', 'TERM=web-test'.replace('TERM', 'STATBOTIC_TEAM'));
    const [, home] = await c.ask('getenv HOME', /HOME=(\S+)/);
    const [, exportDir] = await c.ask('getenv STATBOTIC_EXPORT_DIR', /STATBOTIC_EXPORT_DIR=(\S+)/);
    const [, dataDir] = await c.ask('getenv STATBOTIC_DATA_DIR', /STATBOTIC_DATA_DIR=(\S+)/);
    assert.ok(home.startsWith(server.sessionsRoot), home);
    assert.ok(exportDir.startsWith(server.sessionsRoot), exportDir);
    assert.equal(dataDir, `${server.tmp}/data`);
    assert.equal(fs.statSync(home).mode & 0o777, 0o700);
    // A second session gets its own directories.
    const d = await TermClient.open(server);
    await d.waitFor('fake> ');
    const [, home2] = await d.ask('getenv HOME', /HOME=(\S+)/);
    assert.notEqual(home2, home);
    await Promise.all([c.close(), d.close()]);
  });

  test('closing the socket ends the whole process group', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    const [, pid] = await c.ask('pid', /PID (\d+)/);
    const [, grandchild] = await c.ask('spawn', /CHILD (\d+)/); // ignores SIGHUP: needs the SIGKILL
    assert.ok(pidAlive(Number(pid)) && pidAlive(Number(grandchild)));
    c.ws.terminate(); // an abrupt drop, no close frame
    await waitUntil(() => !pidAlive(Number(pid)), { what: `app pid ${pid} to end` });
    await waitUntil(() => !pidAlive(Number(grandchild)), { timeoutMs: 5000, what: `grandchild ${grandchild} to end` });
    await waitUntil(async () => (await server.health()).sessions === 0, { what: 'sessions back to 0' });
  });

  test('leftover processes die when the app exits on its own', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    const [, grandchild] = await c.ask('spawn', /CHILD (\d+)/);
    c.line('exit');
    await c.waitClosed();
    await waitUntil(() => !pidAlive(Number(grandchild)), { what: `grandchild ${grandchild} to end` });
  });

  test('a slow reader pauses the app, and nothing is lost when it catches up', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.ws._socket.pause(); // stop reading: the server's send buffer grows past BUFFER_HIGH
    c.line('flood 150000');
    const pause = await server.waitForLog((l) => l.event === 'backpressure', 15000);
    assert.ok(pause.buffered > 1024 * 1024);
    await sleep(700); // an unpaused app would keep filling the server's buffer meanwhile
    c.ws._socket.resume();
    await c.waitFor('FLOOD DONE', 30000);
    assert.equal((c.output.match(/line \d{6} /g) || []).length, 150000);
    assert.match(c.output, /line 149999 x{60}/);
    await c.close();
    const end = await server.waitForLog((l) => l.event === 'session_end' && l.pauses > 0);
    assert.ok(end.buffered_max < 2 * 1024 * 1024, `buffered up to ${end.buffered_max} bytes: the pty was not paused`);
  });

  test('the logs never contain what was typed or shown', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    await c.ask('hunter2-secret', 'ECHO hunter2-secret');
    await c.close();
    await server.waitForLog((l) => l.event === 'session_end' && l.bytes_in === 'hunter2-secret\r'.length);
    assert.doesNotMatch(JSON.stringify(server.logs), /hunter2|Fake Statbotic/);
  });
});

describe('pending handshakes (connected, no hello yet)', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { MAX_SESSIONS: '2', MAX_SESSIONS_PER_IP: '1', MAX_PENDING: '3', TRUST_PROXY: '1', HELLO_TIMEOUT: '5' } });
  });
  after(() => server?.stop());
  const from = (address, hello = false) => TermClient.open(server, { hello, headers: { 'x-forwarded-for': address } });

  test('they hold no session slot, count against their own address, and have their own small cap', async () => {
    const [a, b] = [await from('198.51.100.1'), await from('198.51.100.2')];
    await sleep(100);
    assert.equal((await server.health()).sessions, 0, 'pending is not in use');
    const c = await from('198.51.100.3', true); // others still get a session
    await c.waitFor('fake> ');
    const d = await from('198.51.100.4'); // the third pending one: MAX_PENDING
    assert.deepEqual(await (await from('198.51.100.1')).waitClosed(), { code: 4002, reason: 'busy: too many sessions from your address' });
    assert.deepEqual(await (await from('198.51.100.5')).waitClosed(), { code: 1013, reason: 'busy: too many connections starting' });
    await d.close();
    // A pending one says hello: it becomes a session if one is free, else it is told the server is busy.
    a.json({ t: 'hello', cols: 80, rows: 24 });
    await a.waitFor('fake> ');
    b.json({ t: 'hello', cols: 80, rows: 24 });
    assert.deepEqual(await b.waitClosed(), { code: 1013, reason: 'busy: all sessions in use' });
    assert.equal((await server.health()).sessions, 2);
    await Promise.all([a.close(), c.close()]);
    await waitUntil(async () => (await server.health()).sessions === 0, { what: 'sessions back to 0' });
    const e = await from('198.51.100.5', true); // the pending places are free again too
    await e.waitFor('fake> ');
    await e.close();
  });
});

describe('bad clients', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { HELLO_TIMEOUT: '0.5', ALLOWED_ORIGINS: 'https://statbotic.example' } });
  });
  after(() => server?.stop());

  const refused = (opts) => assert.rejects(TermClient.open(server, opts), (err) => err.status === 403);

  test('a foreign Origin or none is refused with 403', async () => {
    await refused({ origin: 'http://evil.example' });
    await refused({ origin: 'null' });
    await refused({ origin: `http://127.0.0.1:${server.port + 1}` });
    await refused({ origin: '' });
    const c = await TermClient.open(server, { origin: 'https://statbotic.example' }); // allowlisted
    await c.waitFor('fake> ');
    await c.close();
  });

  test('DNS rebinding: a foreign host name is refused with 421 even when Origin agrees', async () => {
    const host = `evil.example:${server.port}`;
    await assert.rejects(TermClient.open(server, { origin: `http://${host}`, headers: { host } }), (err) => err.status === 421);
    await server.waitForLog((l) => l.event === 'refused' && l.reason === 'host'); // stdout may come after the answer
    // A listed name works: here the host of ALLOWED_ORIGINS.
    const listed = `statbotic.example:${server.port}`;
    const c = await TermClient.open(server, { origin: `http://${listed}`, headers: { host: listed } });
    await c.waitFor('fake> ');
    await c.close();
  });

  test('only /ws upgrades', async () => {
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other`, { origin: server.url });
    const status = await new Promise((resolve) => {
      ws.on('unexpected-response', (req, res) => resolve(res.statusCode));
      ws.on('error', () => resolve('error'));
    });
    assert.equal(status, 404);
  });

  test('no hello in time: 1008', async () => {
    const c = await TermClient.open(server, { hello: false });
    assert.deepEqual(await c.waitClosed(3000), { code: 1008, reason: 'no hello' });
  });

  for (const [name, send] of [
    ['keystrokes before hello', (c) => c.type('1\r')],
    ['text that is not JSON', (c) => c.ws.send('not json')],
    ['an unknown message type', (c) => c.json({ t: 'shell', cmd: 'rm -rf /' })],
    ['a hello without integer sizes', (c) => c.json({ t: 'hello', cols: '80', rows: 24.5 })],
    ['a JSON scalar', (c) => c.ws.send('42')],
  ]) {
    test(`${name}: closed with 1008`, async () => {
      const c = await TermClient.open(server, { hello: false });
      send(c);
      assert.equal((await c.waitClosed()).code, 1008);
    });
  }

  test('a second hello is refused', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    c.json({ t: 'hello', cols: 80, rows: 24 });
    assert.equal((await c.waitClosed()).code, 1008);
  });

  test('an oversized message is refused with 1009 and the server stays up', async () => {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    const [, pid] = await c.ask('pid', /PID (\d+)/);
    c.type('x'.repeat(65 * 1024));
    assert.equal((await c.waitClosed()).code, 1009);
    await waitUntil(() => !pidAlive(Number(pid)), { what: 'the app to end' });
    const d = await TermClient.open(server);
    await d.ask('still alive', 'ECHO still alive');
    await d.close();
    assert.equal((await server.health()).ok, true);
  });

  test('garbage on the raw socket does not crash the server', async () => {
    const net = await import('node:net');
    await new Promise((resolve) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://127.0.0.1\r\nSec-WebSocket-Key: bad\r\nSec-WebSocket-Version: 13\r\n\r\n\xff\xfe garbage');
        sock.end();
      });
      sock.resume(); // read the 400 so that 'close' can come
      sock.on('error', resolve);
      sock.on('close', resolve);
    });
    await sleep(100);
    assert.equal((await server.health()).ok, true);
    assert.equal(server.proc.exitCode, null);
  });
});
