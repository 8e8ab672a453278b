// HTTP: headers, /healthz, the static allowlist and one-time downloads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  browserCookie, httpGet, startServer, TermClient, useServer,
} from './helpers.mjs';

/** Send a raw request line (fetch would normalise ../ away) and return the status code. */
function rawStatus(port, target, head = 'HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close') {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${target} ${head}\r\n\r\n`));
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(Number(data.split(' ')[1])));
    sock.on('error', reject);
    sock.setTimeout(3000, () => reject(new Error('raw request timed out')));
  });
}

describe('http', () => {
  const ctx = useServer({ env: { DOWNLOAD_TTL: '1' } });

  test('the page and its assets carry the security headers', async () => {
    const res = await fetch(`${ctx.server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const html = await res.text();
    assert.match(html, /<title>Statbotic<\/title>/);
    assert.doesNotMatch(html, /<script>|https?:\/\//, 'no inline scripts, no CDN');
    for (const [route, type] of [['/js/main.js', /javascript/], ['/js/protocol.js', /javascript/], ['/style.css', /css/], ['/vendor/xterm.js', /javascript/],
      ['/vendor/xterm.css', /css/], ['/vendor/addon-fit.js', /javascript/], ['/favicon.svg', /svg/]]) {
      const r = await fetch(ctx.server.url + route);
      assert.equal(r.status, 200, route);
      assert.match(r.headers.get('content-type'), type, route);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', route);
      assert.ok((await r.arrayBuffer()).byteLength > 0, route);
    }
  });

  test('static files are gzipped when asked and revalidated by ETag', async () => {
    const res = await fetch(`${ctx.server.url}/vendor/xterm.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.match(await res.text(), /Terminal/); // fetch inflates it
    const etag = res.headers.get('etag');
    const again = await fetch(`${ctx.server.url}/vendor/xterm.js`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('/healthz reports sessions in use, uncached', async () => {
    const res = await fetch(`${ctx.server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { ok: true, sessions: 0, max: 10 });
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    assert.equal((await ctx.server.health()).sessions, 1);
    await c.close();
  });

  test('anything off the allowlist is 404, including traversal attempts', async () => {
    for (const p of ['/index.html', '/web/server.js', '/package.json', '/node_modules/ws/package.json', '/vendor/',
      '/vendor/xterm.js.map', '/client.js', '/js/', '/js/nope.js', '/public/js/main.js', '/web/public/js/protocol.js', '/.env',
      '/download/', '/download/abc']) {
      assert.equal((await fetch(ctx.server.url + p)).status, 404, p);
    }
    for (const p of ['/../package.json', '/vendor/../../package.json', '/%2e%2e/%2e%2e/etc/passwd',
      '/vendor/..%2f..%2fpackage.json', '//etc/passwd', '/js/main.js/../../web/server.js', '/js/../../package.json']) {
      assert.equal(await rawStatus(ctx.server.port, p), 404, p);
    }
    const res = await fetch(`${ctx.server.url}/nope`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(res.headers.get('content-security-policy'));
  });

  test('only GET and HEAD', async () => {
    assert.equal((await fetch(`${ctx.server.url}/`, { method: 'POST', body: 'x' })).status, 405);
    assert.equal((await fetch(`${ctx.server.url}/`, { method: 'HEAD' })).status, 200);
  });

  test('an export becomes a one-time download link', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    await c.ask('export stats_2026-11.json', 'EXPORTED stats_2026-11.json');
    const file = await c.waitForMessage((m) => m.t === 'file');
    assert.equal(file.name, 'stats_2026-11.json');
    assert.match(file.url, /^\/download\/[A-Za-z0-9_-]{43}$/);
    const res = await c.download(ctx.server, file.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="stats_2026-11.json"');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(await res.json(), { app: 'fake', name: 'stats_2026-11.json', rows: [1, 2, 3] });
    assert.equal((await c.download(ctx.server, file.url)).status, 404, 'second GET');
    // A made-up token looks exactly like a used one.
    assert.equal((await fetch(`${ctx.server.url}/download/${'A'.repeat(43)}`)).status, 404);
    await c.close();
  });

  test('a report (.html) has a one-time download link and a one-time link that opens it inline, sandboxed', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    await c.ask('export statbotic-report-default-2026-11-01-2026-11-30.html', 'EXPORTED');
    const file = await c.waitForMessage((m) => m.t === 'file');
    assert.match(file.url, /^\/download\/[A-Za-z0-9_-]{43}$/);
    assert.match(file.open, /^\/open\/[A-Za-z0-9_-]{43}$/);
    const openToken = file.open.slice('/open/'.length);
    const downloadToken = file.url.slice('/download/'.length);
    // Each token works only where it was offered (and a wrong try leaves it for its own link).
    assert.equal((await c.download(ctx.server, `/download/${openToken}`)).status, 404);
    assert.equal((await c.download(ctx.server, `/open/${downloadToken}`)).status, 404);
    assert.equal((await c.download(ctx.server, file.open, null)).status, 404, 'another browser (no cookie)');

    const shown = await c.download(ctx.server, file.open);
    assert.equal(shown.status, 200);
    assert.equal(shown.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(shown.headers.get('content-disposition'), 'inline; filename="statbotic-report-default-2026-11-01-2026-11-30.html"');
    assert.equal(shown.headers.get('cache-control'), 'no-store');
    assert.equal(shown.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(shown.headers.get('referrer-policy'), 'no-referrer');
    const csp = shown.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /; sandbox$/);
    assert.equal((await shown.json()).name, 'statbotic-report-default-2026-11-01-2026-11-30.html');
    assert.equal((await c.download(ctx.server, file.open)).status, 404, 'opened once');

    const saved = await c.download(ctx.server, file.url);
    assert.equal(saved.status, 200);
    assert.match(saved.headers.get('content-disposition'), /^attachment; /);
    assert.doesNotMatch(saved.headers.get('content-security-policy'), /sandbox/);
    await saved.arrayBuffer();
    assert.equal((await c.download(ctx.server, file.url)).status, 404, 'downloaded once');

    // An export that is not a report has no link to open.
    await c.ask('export plain.json', 'EXPORTED plain.json');
    const plain = await c.waitForMessage((m) => m.t === 'file' && m.name === 'plain.json');
    assert.equal(plain.open, undefined);
    await c.close();
  });

  test('symlinks, bad names and hidden temp files are never offered; rewrites are', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    await c.ask('symlink evil.json', 'LINKED evil.json');
    await c.ask('export bad name.json', 'EXPORTED bad name.json');
    await c.ask('export notes.txt', 'EXPORTED notes.txt');
    await c.ask('export .hidden.json', 'EXPORTED .hidden.json');
    await c.ask('export ok.csv', 'EXPORTED ok.csv');
    await c.waitForMessage((m) => m.t === 'file' && m.name === 'ok.csv');
    await sleep(400); // past the watcher's debounce
    assert.deepEqual(c.messages.filter((m) => m.t === 'file').map((m) => m.name), ['ok.csv']);
    await c.ask('export ok.csv', 'EXPORTED ok.csv');
    await waitForCount(c, 2);
    await c.close();
  });

  test('a link expires', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    await c.ask('export late.json', 'EXPORTED late.json');
    const file = await c.waitForMessage((m) => m.t === 'file');
    assert.equal(file.expires, 1);
    await sleep(1100);
    assert.equal((await c.download(ctx.server, file.url)).status, 404);
    await c.close();
  });

  test('an export written just before exit still gets its link; the file outlives the session', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    c.line('export last.json');
    c.line('exit');
    await c.waitClosed();
    const names = c.messages.map((m) => m.t + (m.name ? `:${m.name}` : ''));
    assert.deepEqual(names, ['file:last.json', 'exit']);
    const res = await c.download(ctx.server, c.messages[0].url);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).name, 'last.json');
  });

  test('the page sets a browser cookie once: HttpOnly, SameSite=Strict, not Secure over plain HTTP', async () => {
    const res = await fetch(`${ctx.server.url}/`);
    const set = res.headers.get('set-cookie');
    assert.match(set, /^statbotic_browser=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = set.split(';')[0];
    const again = await fetch(`${ctx.server.url}/`, { headers: { cookie: `theme=dark; ${cookie}` } });
    assert.equal(again.headers.get('set-cookie'), null, "a browser keeps its cookie, so its other tabs' links stay good");
    const bad = await fetch(`${ctx.server.url}/`, { headers: { cookie: 'statbotic_browser=short' } });
    assert.match(bad.headers.get('set-cookie'), /^statbotic_browser=[A-Za-z0-9_-]{43};/, 'a malformed one is replaced');
    assert.equal((await fetch(`${ctx.server.url}/js/main.js`)).headers.get('set-cookie'), null, 'only the page sets it');
    const forwarded = await fetch(`${ctx.server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.doesNotMatch(forwarded.headers.get('set-cookie'), /Secure/, 'X-Forwarded-Proto counts only with TRUST_PROXY');
  });

  test('a download needs the cookie of the browser whose session offered it; any other gets 404 and the file stays', async () => {
    const c = await TermClient.open(ctx.server);
    await c.waitFor('fake> ');
    await c.ask('export mine.json', 'EXPORTED mine.json');
    const file = await c.waitForMessage((m) => m.t === 'file');
    const other = await browserCookie(ctx.server);
    for (const cookie of [null, other, `statbotic_browser=${'A'.repeat(43)}`, 'statbotic_browser=', `other=${c.cookie.split('=')[1]}`]) {
      assert.equal((await c.download(ctx.server, file.url, cookie)).status, 404, String(cookie));
    }
    const res = await c.download(ctx.server, file.url, `theme=dark; ${c.cookie}`);
    assert.equal(res.status, 200, 'not used up by the refused tries');
    assert.equal((await res.json()).name, 'mine.json');
    await c.close();
  });

  test('a session opened without the cookie is offered no links, and told why', async () => {
    const c = await TermClient.open(ctx.server, { cookie: null });
    await c.waitFor('fake> ');
    await c.ask('export nocookie.json', 'EXPORTED nocookie.json');
    const error = await c.waitForMessage((m) => m.t === 'error');
    assert.match(error.message, /cookies/);
    await c.ask('export again.json', 'EXPORTED again.json');
    await sleep(400); // past the watcher's debounce
    assert.deepEqual(c.messages, [error], 'no file message, and the error once');
    await c.close();
  });
});

async function waitForCount(client, n) {
  for (let i = 0; i < 100; i += 1) {
    const files = client.messages.filter((m) => m.t === 'file');
    if (files.length >= n) return files;
    await sleep(25);
  }
  throw new Error(`expected ${n} file messages, got ${JSON.stringify(client.messages)}`);
}

describe('host names (DNS rebinding)', () => {
  const ctx = useServer({ env: { PUBLIC_HOST: 'statbotic.example' } });
  const token = `/download/${'A'.repeat(43)}`;

  test('a name off the allowlist gets 421 on every path but /healthz', async () => {
    const { port } = ctx.server;
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example', `127.0.0.1.nip.io:${port}`,
      'statbotic.example.evil.example', 'evil.example@localhost', `localhost:${port}:1`]) {
      for (const p of ['/', '/js/main.js', '/nope', token]) {
        const res = await httpGet(ctx.server, p, { host });
        assert.equal(res.status, 421, `${host} ${p}`);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.ok(res.headers['content-security-policy'], 'the base headers too');
      }
    }
    assert.equal(await rawStatus(port, '/', 'HTTP/1.0'), 421, 'no Host header');
    assert.equal(await rawStatus(port, '/', 'HTTP/1.1\r\nHost: \r\nConnection: close'), 421, 'an empty Host header');
    const health = await httpGet(ctx.server, '/healthz', { host: 'evil.example' });
    assert.equal(health.status, 200, 'a probe may call by any name: /healthz holds counts only');
  });

  test('loopback names and PUBLIC_HOST are served, on any port, in any case', async () => {
    for (const host of ['localhost', `localhost:${ctx.server.port}`, '127.0.0.1:1', '[::1]:80', 'LOCALHOST',
      'statbotic.example', 'Statbotic.Example:443', 'statbotic.example.']) {
      assert.equal((await httpGet(ctx.server, '/', { host })).status, 200, host);
    }
  });
});

test('on every interface with only loopback names, the server says so at start', async () => {
  for (const [env, warned] of [[{ HOST: '0.0.0.0' }, true], [{ HOST: '0.0.0.0', PUBLIC_HOST: 'statbotic.example' }, false],
    [{}, false]]) {
    const server = await startServer({ env });
    try {
      const listening = server.logs.find((l) => l.event === 'listening');
      const names = ['localhost', '127.0.0.1', '[::1]', ...(env.PUBLIC_HOST ? [env.PUBLIC_HOST] : [])];
      assert.deepEqual(listening.allowed_hosts, names);
      const warning = server.logs.find((l) => l.event === 'warning');
      assert.equal(Boolean(warning), warned, JSON.stringify(env));
      if (warned) assert.match(warning.message, /only loopback host names .* until PUBLIC_HOST is set/);
    } finally {
      await server.stop();
    }
  }
});

describe('basic auth (BASIC_AUTH)', () => {
  const ctx = useServer({ env: { BASIC_AUTH: 'coach:s3cret' } });

  test('pages and the socket need credentials; /healthz does not', async () => {
    const res = await fetch(`${ctx.server.url}/`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate'), /^Basic/);
    const auth = { authorization: `Basic ${Buffer.from('coach:s3cret').toString('base64')}` };
    const wrong = { authorization: `Basic ${Buffer.from('coach:nope').toString('base64')}` };
    assert.equal((await fetch(`${ctx.server.url}/`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${ctx.server.url}/`, { headers: wrong })).status, 401);
    assert.equal((await fetch(`${ctx.server.url}/healthz`)).status, 200);
    await assert.rejects(TermClient.open(ctx.server), (err) => err.status === 401);
    const c = await TermClient.open(ctx.server, { headers: auth });
    await c.waitFor('fake> ');
    await c.close();
  });
});

test('behind a trusted proxy that says https, the cookie is Secure', async () => {
  const server = await startServer({ env: { TRUST_PROXY: '1' } });
  try {
    const https = await fetch(`${server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(https.headers.get('set-cookie'), /; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const plain = await fetch(`${server.url}/`, { headers: { 'x-forwarded-proto': 'http' } });
    assert.doesNotMatch(plain.headers.get('set-cookie'), /Secure/);
  } finally {
    await server.stop();
  }
});

test("after a session ends its links work for SESSION_DIR_TTL (an export just before exit), then die with its folder", async () => {
  const server = await startServer({ env: { SESSION_DIR_TTL: '0.5' } });
  try {
    const c = await TermClient.open(server);
    await c.waitFor('fake> ');
    assert.equal(fs.readdirSync(server.sessionsRoot).length, 1);
    await c.ask('export early.json', 'EXPORTED early.json');
    await c.ask('export late.json', 'EXPORTED late.json');
    const [early, late] = await waitForCount(c, 2);
    assert.deepEqual([early.grace, late.grace], [0.5, 0.5], 'the page is told how long links outlive the session');
    await c.close();
    assert.equal((await c.download(server, early.url)).status, 200, 'within the grace');
    for (let i = 0; i < 100 && fs.readdirSync(server.sessionsRoot).length > 0; i += 1) await sleep(25);
    assert.deepEqual(fs.readdirSync(server.sessionsRoot), []);
    assert.equal((await c.download(server, late.url)).status, 404, 'after the grace');
  } finally {
    await server.stop();
  }
  assert.ok(!fs.existsSync(path.join(server.tmp)), 'test tmp removed');
});
