// The real Statbotic in the page, driven in Chromium like a person would:
// a new store refuses the page's first registration (the operator makes the admin with the CLI), then an
// invite from that admin registers a lead, who logs in, adds a day, views it, exports it and downloads
// the file through the link (once), then makes the report for a manager and opens it in a new tab.
// The newcomer's path: no APP_CMD, no activated virtualenv, so the server finds .venv/bin/python itself
// (scripts/test makes .venv before the web suite runs).
// Skipped (with the reason) when Chromium is missing, except with CI=true, where that fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { showCommand } from '../../web/config.js';
import {
  browserSkipReason, openPage, REPO, typeAndWait, useServerAndBrowser, waitForScreen,
} from './helpers.mjs';

const skip = browserSkipReason();
const VENV_PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const AT_MENU = /Choose an option:$/; // the last screen line (trailing spaces are trimmed)
const PASSWORD = 'web-password-1';
const ADMIN_PASSWORD = 'web-admin-password';

/** The statbotic command on the server's data, as the operator runs it where the server runs. */
function statbotic(server, args, { input, env = {} } = {}) {
  const environment = {
    PATH: process.env.PATH, HOME: server.tmp, LANG: 'C.UTF-8', NO_COLOR: '1',
    STATBOTIC_DATA_DIR: path.join(server.tmp, 'data'), ...env,
  };
  return execFileSync(VENV_PYTHON, ['run.py', ...args], { cwd: REPO, env: environment, input, encoding: 'utf8' });
}

describe('the real app in Chromium', { skip }, () => {
  const ctx = useServerAndBrowser({ appCmd: null, env: { NO_COLOR: '1' } });

  test('the admin made by the operator invites a lead, who logs in, adds, views, exports and downloads once', { timeout: 120000 }, async () => {
    const listening = ctx.server.logs.find((l) => l.event === 'listening');
    assert.equal(listening.app_cmd, showCommand([VENV_PYTHON, 'run.py']), 'no .venv? ./scripts/run makes it');
    const page = await openPage(ctx.browser, ctx.server.url);
    await waitForScreen(page, 'Welcome to Statbotic', 20000);
    await waitForScreen(page, AT_MENU);

    const refused = await typeAndWait(page, '2', /This store has no admin yet[\s\S]*Choose an option:$/);
    assert.match(refused, /users add NAME/, 'a stranger is not the first user of a new deploy: the page says who makes it');

    statbotic(ctx.server, ['users', 'add', 'web.admin', '--password-stdin'], { input: `${ADMIN_PASSWORD}\n` });
    const admin = { STATBOTIC_USER: 'web.admin', STATBOTIC_PASSWORD: ADMIN_PASSWORD };
    const code = statbotic(ctx.server, ['users', 'invite', '--role', 'lead'], { env: admin }).trim();
    assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);

    await typeAndWait(page, '2', /Invite code:$/);
    await typeAndWait(page, code, 'Choose a username');
    await typeAndWait(page, 'web.lead', 'Choose a password');
    await typeAndWait(page, PASSWORD, 'Confirm the password');
    await typeAndWait(page, PASSWORD, 'Registered web.lead. You can log in now.');
    await typeAndWait(page, '1', /Username:$/, { timeoutMs: 20000 });
    await typeAndWait(page, 'web.lead', /Password:$/);
    const menu = await typeAndWait(page, PASSWORD, /Main menu \(web\.lead, team default\)[\s\S]*Choose an option:$/);
    assert.doesNotMatch(menu, new RegExp(PASSWORD), 'the password is never echoed');

    await typeAndWait(page, '1', /Date of the stats.*:$/);
    await typeAndWait(page, '2026-11-20', /Ticket public comments:$/);
    for (const [value, next] of [['120', /Ticket solves:$/], ['60', /Live chats:$/], ['110', /1m 5s\):$/],
      ['111.8', /\(conversations rated\):$/], ['52', /e\.g\. 96%\):$/], ['47', /Save\? \(y\/n\):$/]]) {
      await typeAndWait(page, value, next);
    }
    await typeAndWait(page, 'y', 'Saved the stats for 2026-11-20.');
    await typeAndWait(page, 'n', AT_MENU);

    await typeAndWait(page, '2', /Start date or period.*2026-W47\):$/);
    await typeAndWait(page, '2026-11-20', /extra days.*:$/);
    const view = await typeAndWait(page, '0', /View more stats\? \(y\/n\):$/);
    assert.match(view, /Average chat wait\s+│ 111\.8 s/);
    assert.match(view, /Chat CSAT\s+│ 90\.4 %/);
    assert.match(view, /Public comments per solve\s+│ 2\.00/);
    await typeAndWait(page, 'n', AT_MENU);

    await typeAndWait(page, '3', /Start date or period.*2026-W47\):$/);
    await typeAndWait(page, '2026-11-20', /extra days.*:$/);
    await typeAndWait(page, '0', /Choose a format:$/);
    const name = 'stats-2026-11-20-2026-11-20.json';
    const exportedScreen = await typeAndWait(page, '1', /Exported 1 day to[\s\S]*Export more stats\?.*:$/);
    assert.match(exportedScreen, new RegExp(`Exported 1 day to ${name.replaceAll('.', '\\.')}:.*beside the terminal`));
    assert.doesNotMatch(exportedScreen, /\/tmp\b|statbotic-web-/, 'no server path on the screen');
    assert.ok(!exportedScreen.includes(ctx.server.sessionsRoot), 'no sessions-root path on the screen');
    const link = page.locator('#files a', { hasText: name });
    await link.waitFor({ timeout: 10000 });
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(REPO, 'docs', 'web-page.png') });
    const href = await link.getAttribute('href');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), name);
    const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.format, 'statbotic-export');
    assert.deepEqual(exported.days.map((d) => [d.date, d.entered.comments, d.updated_by]), [['2026-11-20', 120, 'web.lead']]);
    assert.equal(Math.round(exported.summary.figures.csat_percent.value * 10) / 10, 90.4);
    assert.equal((await fetch(ctx.server.url + href)).status, 404, 'a second download of the same link fails');

    await typeAndWait(page, 'n', AT_MENU);

    // The report for a manager: written in the session, offered in Downloads, opened once in a new tab
    // (served inline with the site's CSP, sandboxed), where it renders with no error.
    await typeAndWait(page, '14', /Start date or period.*2026-W47\):$/);
    await typeAndWait(page, '2026-11-20', /extra days.*:$/);
    await typeAndWait(page, '0', /Choose a report:$/);
    const report = 'statbotic-report-default-2026-11-20-2026-11-20.html';
    const wrote = await typeAndWait(page, '1', /Wrote [\s\S]*Choose an option:$/);
    assert.match(wrote, /Wrote statbotic-report-default-2026-11-20-2026-11-20\.html: download it, or open it/);
    const open = page.locator('#files li', { hasText: report }).locator('a.open');
    await open.waitFor({ timeout: 10000 });
    const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
    const tabErrors = [];
    tab.on('console', (msg) => { if (msg.type() === 'error') tabErrors.push(msg.text()); });
    await tab.waitForLoadState();
    assert.equal(await tab.title(), 'Team default: stats for 2026-11-20');
    assert.match(await tab.locator('#headline').innerText(), /Chat CSAT\s+90\.4 %/);
    assert.equal(await tab.locator('svg[role="img"]').count(), 6);
    assert.deepEqual(tabErrors, []);
    await tab.close();

    await typeAndWait(page, '0', 'Goodbye!');
    await page.locator('#notice').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#notice-title').innerText(), 'Session ended');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
