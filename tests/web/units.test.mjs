// Pure pieces of the server: settings, the child environment, origin and address rules, export names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildChildEnv } from '../../web/childenv.js';
import { loadConfig, showCommand, splitCommand, REPO_ROOT } from '../../web/config.js';
import { EXPORT_NAME } from '../../web/downloads.js';
import { explain } from '../../web/public/js/panels.js';
import { CLOSE } from '../../web/public/js/protocol.js';
import { clientAddress, originAllowed, authorized, hostAllowed, parseHost } from '../../web/security.js';
import { ROUTES } from '../../web/static.js';

describe('config', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'statbotic-config-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  /** A repository root, with or without a .venv/bin/python. */
  const repo = (name, { venv }) => {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    if (venv) fs.writeFileSync(path.join(root, '.venv', 'bin', 'python'), '');
    return root;
  };
  const bare = repo('bare', { venv: false });
  const withVenv = repo('with-venv', { venv: true });

  test('defaults follow the design', () => {
    const c = loadConfig({}, { root: bare });
    assert.deepEqual(
      [c.maxSessions, c.maxSessionsPerIp, c.idleTimeoutMs, c.idleWarningMs, c.maxSessionMs, c.pingIntervalMs, c.maxPayload],
      [10, 2, 600000, 60000, 3600000, 25000, 65536],
    );
    assert.deepEqual([c.colsMin, c.colsMax, c.rowsMin, c.rowsMax], [40, 200, 10, 60]);
    assert.deepEqual([c.bufferHigh, c.bufferLow, c.killGraceMs, c.downloadTtlMs], [1048576, 262144, 3000, 300000]);
    assert.equal(c.sessionDirTtlMs, 60000, "an ended session's links (and folder) last a minute, not ten");
    assert.equal(c.maxPending, 5, 'connections waiting for their hello, all addresses together');
    assert.equal(c.appCwd, bare);
    assert.equal(c.dataDir, `${bare}/.data`);
    assert.equal(c.trustProxy, false);
    assert.deepEqual([c.port, c.host], [3000, '127.0.0.1']);
    assert.equal(loadConfig({ PORT: '5000' }).host, '0.0.0.0', 'Heroku sets PORT and needs all interfaces');
  });

  test("the app's Python: the repository's .venv/bin/python when there is one, else python3; APP_CMD wins", () => {
    assert.deepEqual(loadConfig({}, { root: withVenv }).appCmd, [`${withVenv}/.venv/bin/python`, 'run.py']);
    assert.deepEqual(loadConfig({}, { root: bare }).appCmd, ['python3', 'run.py']);
    assert.deepEqual(loadConfig({ APP_CMD: 'python3 other.py' }, { root: withVenv }).appCmd, ['python3', 'other.py']);
    assert.equal(loadConfig({}).appCwd, REPO_ROOT, 'the real repository by default');
  });

  test('the command is logged in full, spaces quoted', () => {
    assert.equal(showCommand(['/srv/my app/.venv/bin/python', 'run.py']), '"/srv/my app/.venv/bin/python" run.py');
  });

  test('overrides, seconds may be fractional', () => {
    const c = loadConfig({ MAX_SESSIONS: '3', IDLE_TIMEOUT: '1.5', IDLE_WARNING: '0.5', TRUST_PROXY: '1', ALLOWED_ORIGINS: 'https://A.example/, https://b.example' });
    assert.equal(c.maxSessions, 3);
    assert.equal(c.idleTimeoutMs, 1500);
    assert.equal(c.idleWarningMs, 500);
    assert.equal(c.trustProxy, true);
    assert.deepEqual(c.allowedOrigins, ['https://a.example', 'https://b.example']);
  });

  test('bad values are refused with the variable name', () => {
    assert.throws(() => loadConfig({ MAX_SESSIONS: 'lots' }), /MAX_SESSIONS/);
    assert.throws(() => loadConfig({ MAX_SESSIONS: '0' }), /MAX_SESSIONS/);
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ COLS_MIN: '100', COLS_MAX: '50' }), /bounds/);
    assert.throws(() => loadConfig({ APP_CMD: '   ' }), /APP_CMD/);
  });

  test('host names: loopback by default, plus PUBLIC_HOST and the hosts of ALLOWED_ORIGINS', () => {
    assert.deepEqual(loadConfig({}).allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
    const c = loadConfig({ PUBLIC_HOST: ' Statbotic-Acme.herokuapp.com, stats.example., 10.0.0.5 ,[FD00::1]', ALLOWED_ORIGINS: 'https://Other.example:8443/' });
    assert.deepEqual(c.publicHosts, ['statbotic-acme.herokuapp.com', 'stats.example', '10.0.0.5', '[fd00::1]']);
    assert.deepEqual(c.allowedHosts, ['localhost', '127.0.0.1', '[::1]', 'statbotic-acme.herokuapp.com', 'stats.example', '10.0.0.5',
      '[fd00::1]', 'other.example']);
    assert.deepEqual(loadConfig({ PUBLIC_HOST: 'localhost' }).allowedHosts, ['localhost', '127.0.0.1', '[::1]'], 'no repeats');
    for (const bad of ['https://stats.example', 'stats.example:443', 'stats.example/', '::1', 'a b.example', '*.example']) {
      assert.throws(() => loadConfig({ PUBLIC_HOST: bad }), /PUBLIC_HOST.*host names/, bad);
    }
    for (const bad of ['statbotic.example', 'https://statbotic.example/app', 'ftp://statbotic.example', 'https://statbotic.example:443']) {
      assert.throws(() => loadConfig({ ALLOWED_ORIGINS: bad }), /ALLOWED_ORIGINS.*origins/, bad);
    }
  });

  test("every setting config.js reads is in the README's Web page section", () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'web', 'config.js'), 'utf8');
    const names = new Set([...source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|, '([A-Z][A-Z0-9_]+)')/g)].map((m) => m[1] ?? m[2]));
    assert.ok(names.has('PUBLIC_HOST') && names.has('MAX_PENDING') && names.size > 25, [...names].join(' '));
    const section = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n## Web page\n')[1].split('\n## ')[0];
    for (const name of names) assert.ok(section.includes(`\`${name}\``), `${name} is not in README's Web page section`);
  });

  test('APP_CMD is split without a shell', () => {
    assert.deepEqual(splitCommand('python3 run.py'), ['python3', 'run.py']);
    assert.deepEqual(splitCommand(`.venv/bin/python "my app.py" 'a b' c`), ['.venv/bin/python', 'my app.py', 'a b', 'c']);
    assert.deepEqual(splitCommand('echo $HOME; rm -rf /'), ['echo', '$HOME;', 'rm', '-rf', '/']);
  });
});

describe('child environment', () => {
  const dirs = { home: '/s/home', exportDir: '/s/exports', dataDir: '/repo/.data' };
  const serverEnv = {
    PATH: '/usr/bin', LANG: 'en_GB.UTF-8', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'x', DATABASE_URL: 'y', PORT: '5000',
    STATBOTIC_TEAM: 'Support', STATBOTIC_EXPORT_DIR: '/elsewhere', MONGODB_URI: 'mongodb://m', NODE_OPTIONS: '--inspect',
  };

  test('an allowlist: fixed values, STATBOTIC_*, MONGODB_URI, nothing else', () => {
    assert.deepEqual(buildChildEnv(serverEnv, dirs), {
      PATH: '/usr/bin', HOME: '/s/home', LANG: 'en_GB.UTF-8', TERM: 'xterm-256color', PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8', STATBOTIC_TEAM: 'Support', STATBOTIC_EXPORT_DIR: '/s/exports',
      STATBOTIC_DATA_DIR: '/repo/.data', MONGODB_URI: 'mongodb://m', STATBOTIC_WEB: '1',
    });
  });

  test('digest settings (STATBOTIC_SMTP_*, STATBOTIC_DIGEST_*) never reach a session, even by APP_ENV_PASS', () => {
    const mail = {
      STATBOTIC_SMTP_HOST: 'smtp.example.com', STATBOTIC_SMTP_USER: 'stats', STATBOTIC_SMTP_PASSWORD: 'smtp-secret',
      STATBOTIC_SMTP_FROM: 'stats@example.com', STATBOTIC_DIGEST_CA_FILE: '/ca.pem', STATBOTIC_DIGEST_TIMEOUT: '30',
    };
    const env = buildChildEnv({ ...serverEnv, ...mail }, dirs, ['STATBOTIC_SMTP_PASSWORD', 'STATBOTIC_DIGEST_CA_FILE']);
    assert.deepEqual(Object.keys(env).filter((key) => key.includes('SMTP') || key.includes('DIGEST')), []);
    assert.ok(!JSON.stringify(env).includes('smtp-secret'));
    assert.equal(env.STATBOTIC_TEAM, 'Support');
  });

  test("the commands' login (STATBOTIC_USER, _PASSWORD, _TOKEN) never reaches a session, even by APP_ENV_PASS", () => {
    const login = { STATBOTIC_USER: 'cron', STATBOTIC_PASSWORD: 'login-secret', STATBOTIC_TOKEN: 'token-secret' };
    const env = buildChildEnv({ ...serverEnv, ...login }, dirs, Object.keys(login));
    assert.deepEqual(Object.keys(login).filter((key) => key in env), []);
    assert.ok(!JSON.stringify(env).includes('secret'));
    assert.equal(env.STATBOTIC_TEAM, 'Support', 'the other settings still pass');
  });

  test('STATBOTIC_WEB=1 always: the server environment cannot turn it off', () => {
    for (const value of [undefined, '', '0']) {
      assert.equal(buildChildEnv({ PATH: '/bin', STATBOTIC_WEB: value }, dirs).STATBOTIC_WEB, '1', String(value));
    }
    assert.equal(buildChildEnv({ PATH: '/bin', STATBOTIC_WEB: '0' }, dirs, ['STATBOTIC_WEB']).STATBOTIC_WEB, '1');
  });

  test('STATBOTIC_DATA_DIR from the server wins; LANG defaults to C.UTF-8; APP_ENV_PASS adds names', () => {
    const env = buildChildEnv({ PATH: '/bin', STATBOTIC_DATA_DIR: '/var/statbotic', LD_LIBRARY_PATH: '/l' }, dirs, ['LD_LIBRARY_PATH', 'MISSING']);
    assert.equal(env.STATBOTIC_DATA_DIR, '/var/statbotic');
    assert.equal(env.LANG, 'C.UTF-8');
    assert.equal(env.LD_LIBRARY_PATH, '/l');
    assert.ok(!('MISSING' in env));
  });
});

describe('requests', () => {
  const req = (headers, remoteAddress = '::ffff:10.0.0.1') => ({ headers, socket: { remoteAddress } });

  test('client address: the socket, or the last X-Forwarded-For hop behind a trusted proxy', () => {
    const r = req({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2' });
    assert.equal(clientAddress(r, false), '10.0.0.1');
    assert.equal(clientAddress(r, true), '2.2.2.2');
    assert.equal(clientAddress(req({}), true), '10.0.0.1');
  });

  test('origin: same host, or allowlisted; never missing', () => {
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'https://app.example' }), []), true);
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'https://APP.example' }), []), true);
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'https://evil.example' }), []), false);
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'https://app.example.evil.example' }), []), false);
    assert.equal(originAllowed(req({ host: 'app.example' }), []), false);
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'null' }), []), false);
    assert.equal(originAllowed(req({ host: 'app.example', origin: 'file://app.example' }), []), false);
    assert.equal(originAllowed(req({ host: 'x', origin: 'https://other.example' }), ['https://other.example']), true);
  });

  test('a Host header: its name, lower case, without port or final dot; anything else is no name', () => {
    assert.deepEqual(parseHost('LocalHost:3000'), { name: 'localhost', port: '3000' });
    assert.deepEqual(parseHost('stats.example.'), { name: 'stats.example', port: undefined });
    assert.deepEqual(parseHost('[::1]:80'), { name: '[::1]', port: '80' });
    for (const bad of ['', ' ', 'a b', 'evil.example@localhost', 'localhost:3000:1', 'localhost:', '::1', 'http://localhost',
      'localhost/x', 'localhost:123456', '.', 'a..b', '-a.example', 'ex\u00e4mple.com']) {
      assert.equal(parseHost(bad), null, JSON.stringify(bad));
    }
  });

  test('host allowlist: the name alone counts, never a look-alike', () => {
    const allowed = ['localhost', '127.0.0.1', '[::1]', 'stats.example'];
    for (const host of ['localhost', 'localhost:1', '127.0.0.1:3000', '[::1]:3000', 'STATS.example', 'stats.example.:443']) {
      assert.equal(hostAllowed(req({ host }), allowed), true, host);
    }
    for (const host of [undefined, '', 'evil.example', 'localhost.evil.example', 'stats.example.evil.example', 'evilstats.example',
      '127.0.0.1.nip.io', '127.0.0.2', '[::2]', 'evil.example@stats.example']) {
      assert.equal(hostAllowed(req({ host }), allowed), false, String(host));
    }
  });

  test('basic auth only when configured', () => {
    const b64 = (s) => `Basic ${Buffer.from(s).toString('base64')}`;
    assert.equal(authorized(req({}), ''), true);
    assert.equal(authorized(req({}), 'u:p'), false);
    assert.equal(authorized(req({ authorization: b64('u:p') }), 'u:p'), true);
    assert.equal(authorized(req({ authorization: b64('u:q') }), 'u:p'), false);
  });

  test('export names', () => {
    for (const ok of ['export.json', 'stats_2026-11-01_2026-11-30.csv', 'a.b.json', `${'x'.repeat(100)}.json`,
      'statbotic-report-default-2026-11-01-2026-11-30.html']) {
      assert.match(ok, EXPORT_NAME, ok);
    }
    for (const bad of ['.json', '.hidden.json', 'a b.json', 'x.txt', 'x.json.tmp', '../x.json', 'x/y.json',
      `${'x'.repeat(101)}.json`, 'é.json', 'x.JSON', 'x.htm', 'x.html.tmp', '.partial-abc.html']) {
      assert.doesNotMatch(bad, EXPORT_NAME, bad);
    }
  });
});

describe('the page', () => {
  const JS = path.join(REPO_ROOT, 'web', 'public', 'js');

  test('every module of the page is served, and so is everything it imports', () => {
    const modules = fs.readdirSync(JS).filter((name) => name.endsWith('.js'));
    for (const name of modules) {
      assert.deepEqual(ROUTES[`/js/${name}`]?.[1], `js/${name}`, `/js/${name} is not in static.js`);
      const source = fs.readFileSync(path.join(JS, name), 'utf8');
      for (const [, target] of source.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)) {
        assert.ok(modules.includes(target), `${name} imports ${target}, which is not in web/public/js`);
      }
    }
    const html = fs.readFileSync(path.join(REPO_ROOT, 'web', 'public', 'index.html'), 'utf8');
    for (const [, src] of html.matchAll(/<script[^>]* src="([^"]+)"/g)) assert.ok(ROUTES[src], `${src} is not served`);
  });

  test('each close code has its own explanation; none is told apart by its reason text', () => {
    const texts = Object.values(CLOSE).map((code) => explain(code, null).join(' '));
    assert.equal(new Set(texts).size, texts.length, texts.join('\n'));
    assert.ok(!texts.includes(explain(1006, null).join(' ')), 'a code without its own notice');
    assert.deepEqual(explain(CLOSE.APP_EXITED, 3), ['Session ended', 'Statbotic stopped (exit code 3).']);
    assert.notEqual(CLOSE.BUSY, CLOSE.ADDRESS_LIMIT);
  });
});
