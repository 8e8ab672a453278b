// Share links against the real server and the real app (no APP_CMD: the server finds .venv's Python):
// a live share's page with the site's headers, and the same plain 404 for a wrong, revoked, expired or
// malformed token; the page shows only the shared team and dates; the per-address limit.
// The store is seeded by tests/web/fixtures/seed_shares.py (shares made through statbotic.shares).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CSP } from '../../web/security.js';
import { httpGet, REPO, useServer } from './helpers.mjs';

const VENV_PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const PYTHON = fs.existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3';
const SEED = path.join(REPO, 'tests', 'web', 'fixtures', 'seed_shares.py');
const TIMEOUT = { timeout: 60000 };

function seed(server) {
  const out = execFileSync(PYTHON, [SEED, path.join(server.tmp, 'data')], { cwd: REPO, encoding: 'utf8' });
  return JSON.parse(out);
}

async function get(server, pathname, init = {}) {
  const res = await fetch(`${server.url}${pathname}`, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function assertNotFound(res, what) {
  assert.equal(res.status, 404, what);
  assert.equal(res.body, 'Not found\n', `${what}: the same plain page`);
  assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow', what);
}

describe('share links', () => {
  const ctx = useServer({ appCmd: null, env: { NO_COLOR: '1' } });
  let tokens;

  test('a live share is the page of its report with the site\'s headers', TIMEOUT, async () => {
    tokens = seed(ctx.server);
    const res = await get(ctx.server, `/share/${tokens.live}`);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), `${CSP}; sandbox`, 'the site\'s CSP, sandboxed');
    assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.body, /<meta name="robots" content="noindex, nofollow">/);
    const head = await get(ctx.server, `/share/${tokens.live}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  test('the page shows only the shared team and dates', TIMEOUT, async () => {
    const { body } = await get(ctx.server, `/share/${tokens.live}`);
    assert.match(body, /Team alpha/);
    assert.match(body, /2026-11-02 to 2026-11-04/);
    assert.doesNotMatch(body, /beta|Beta/, 'the other team is named nowhere');
    for (const mark of ['4321', '4,321', '1234', '1,234', '6543', '654.3']) {
      assert.ok(!body.includes(mark), `the other team's figure ${mark} is not in the page`);
    }
    for (const outside of ['2026-10-15', '2026-11-20', '7777', '7,777', '3333', '3,333']) {
      assert.ok(!body.includes(outside), `${outside}, from outside the shared dates, is not in the page`);
    }
  });

  test('a wrong, revoked, expired or malformed token is the same 404', TIMEOUT, async () => {
    const wrong = `${tokens.live.slice(0, -1)}${tokens.live.endsWith('A') ? 'B' : 'A'}`;
    assertNotFound(await get(ctx.server, `/share/${wrong}`), 'a wrong token');
    assertNotFound(await get(ctx.server, `/share/${tokens.revoked}`), 'a revoked token');
    assertNotFound(await get(ctx.server, `/share/${tokens.expired}`), 'an expired token');
    const spawned = ctx.server.logs.filter((l) => l.event === 'share').length;
    for (const bad of ['', 'short', `${tokens.live}x`, `${tokens.live.slice(0, 42)}%2F`, `${tokens.live}/`]) {
      assertNotFound(await get(ctx.server, `/share/${bad}`), `the malformed token ${JSON.stringify(bad)}`);
    }
    assert.equal(ctx.server.logs.filter((l) => l.event === 'share').length, spawned, 'a malformed token runs no app');
    const statuses = ctx.server.logs.filter((l) => l.event === 'share').map((l) => l.status);
    assert.deepEqual(statuses.slice(-3), [404, 404, 404]);
    assert.ok(!JSON.stringify(ctx.server.logs).includes(tokens.live), 'no token in the log');
  });

  test('the host allowlist and the methods hold for share links too', TIMEOUT, async () => {
    const misdirected = await httpGet(ctx.server, `/share/${tokens.live}`, { host: 'evil.example' });
    assert.equal(misdirected.status, 421);
    assert.ok(!misdirected.body.includes('alpha'));
    const posted = await get(ctx.server, `/share/${tokens.live}`, { method: 'POST' });
    assert.equal(posted.status, 405);
  });
});

describe('share links per address', () => {
  const ctx = useServer({ appCmd: null, env: { SHARE_PER_MINUTE: '2' } });

  test('each address opens at most SHARE_PER_MINUTE links a minute', TIMEOUT, async () => {
    const token = 'A'.repeat(43);
    assert.equal((await get(ctx.server, `/share/${token}`)).status, 404);
    assert.equal((await get(ctx.server, '/share/short')).status, 404);
    const limited = await get(ctx.server, `/share/${token}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.equal((await get(ctx.server, '/healthz')).status, 200, 'other paths are not limited');
  });
});

describe('share links behind BASIC_AUTH', () => {
  const ctx = useServer({ appCmd: null, env: { NO_COLOR: '1', BASIC_AUTH: 'coach:s3cret' } });

  test('a link needs no password, while the page still does', TIMEOUT, async () => {
    const tokens = seed(ctx.server);
    const res = await get(ctx.server, `/share/${tokens.live}`);
    assert.equal(res.status, 200, 'a share link is for someone with no login: its token is its key');
    assertNotFound(await get(ctx.server, `/share/${tokens.revoked}`), 'a revoked token, without a password');
    assert.equal((await get(ctx.server, '/')).status, 401, 'the terminal page still asks');
    assert.equal((await get(ctx.server, `/share/${tokens.live}`, { method: 'POST' })).status, 401);
  });
});
