// The page in a real browser: playwright-core driving Debian's Chromium, against the fake app.
// Skipped (with the reason) when Chromium is missing, except with CI=true, where that fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  browserSkipReason, openPage, readScreen, typeAndWait, useServerAndBrowser, waitForScreen, waitUntil,
} from './helpers.mjs';

const skip = browserSkipReason();
const PROMPT = /^fake>$/m; // screen lines are read with trailing spaces trimmed

describe('the page in Chromium', { skip }, () => {
  const ctx = useServerAndBrowser({ env: { SESSION_DIR_TTL: '1' } });

  test('load, type, resize, Ctrl-C, download once, exit and start again', async () => {
    const page = await openPage(ctx.browser, ctx.server.url);
    assert.equal(await page.title(), 'Statbotic');
    assert.equal(await page.locator('h1').innerText(), 'Statbotic');
    await waitForScreen(page, 'Fake Statbotic ready');
    await waitForScreen(page, PROMPT); // a prompt without newline shows
    await typeAndWait(page, 'hello from chromium', 'ECHO hello from chromium');
    const pid1 = (await typeAndWait(page, 'pid', /PID (\d+)/)).match(/PID (\d+)/)[1];

    // The terminal fills its box and follows the window.
    const before = await page.evaluate(() => [window.term.cols, window.term.rows]);
    await page.setViewportSize({ width: 1000, height: 620 });
    await waitUntil(async () => (await page.evaluate(() => window.term.cols)) !== before[0], { what: 'a resize' });
    const [cols, rows] = await page.evaluate(() => [window.term.cols, window.term.rows]);
    assert.ok(cols < before[0] && rows < before[1], `${cols}x${rows} vs ${before}`);
    await typeAndWait(page, 'size', `SIZE ${cols}x${rows}`);

    await page.evaluate(() => window.term.focus());
    await page.keyboard.press('Control+C');
    await waitForScreen(page, 'INTERRUPTED');

    // An export shows as a link beside the terminal and downloads once.
    await typeAndWait(page, 'export web-test.json', 'EXPORTED web-test.json');
    const link = page.locator('#files a', { hasText: 'web-test.json' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'web-test.json');
    const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.name, 'web-test.json');
    await page.locator('#files li.used').waitFor();
    assert.equal(await link.getAttribute('href'), null, 'a used link is retired');
    assert.equal((await fetch(ctx.server.url + href)).status, 404, 'second download');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the browser cookie is HttpOnly');

    // Exit: the page says so and offers a fresh start; Restart/Start again gives a new process.
    await typeAndWait(page, 'exit', 'bye'); // clicking the link took focus: typeAndWait refocuses
    await page.locator('#notice').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#notice-title').innerText(), 'Session ended');
    await page.locator('#start-again').click();
    await page.locator('#notice').waitFor({ state: 'hidden' });
    await waitForScreen(page, 'Fake Statbotic ready');
    const pid2 = (await typeAndWait(page, 'pid', /PID (\d+)/)).match(/PID (\d+)/)[1];
    assert.notEqual(pid2, pid1);

    // Restart in the middle of a session: a fresh one, and the old one goes away.
    await page.locator('#restart').click();
    await waitForScreen(page, 'Fake Statbotic ready');
    const pid3 = (await typeAndWait(page, 'pid', /PID (\d+)/)).match(/PID (\d+)/)[1];
    assert.notEqual(pid3, pid2);
    await waitUntil(async () => (await ctx.server.health()).sessions === 1, { what: 'one session left' });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('when the session ends, its links expire after the grace (SESSION_DIR_TTL)', async () => {
    const page = await openPage(ctx.browser, ctx.server.url);
    await waitForScreen(page, PROMPT);
    await typeAndWait(page, 'export kept.json', 'EXPORTED kept.json');
    await page.locator('#files a', { hasText: 'kept.json' }).waitFor();
    await typeAndWait(page, 'exit', 'bye');
    await page.locator('#notice').waitFor({ state: 'visible' });
    const item = page.locator('#files li', { hasText: 'kept.json' });
    assert.match(await item.innerText(), /works once, for 1 s/);
    await page.locator('#files li.used', { hasText: 'expired' }).waitFor({ timeout: 3000 });
    assert.equal(await item.locator('a').getAttribute('href'), null);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a report offers its download link and a link that opens it once in a new tab', async () => {
    const page = await openPage(ctx.browser, ctx.server.url);
    await waitForScreen(page, PROMPT);
    await typeAndWait(page, 'export report.html', 'EXPORTED report.html');
    const item = page.locator('#files li', { hasText: 'report.html' });
    const open = item.locator('a.open');
    await open.waitFor();
    assert.equal(await open.getAttribute('target'), '_blank');
    assert.equal(await open.getAttribute('rel'), 'noopener noreferrer');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
    await tab.waitForLoadState();
    assert.match(tab.url(), /\/open\/[A-Za-z0-9_-]{43}$/);
    assert.match(await tab.locator('body').innerText(), /"name": ?"report.html"/);
    assert.equal(await open.getAttribute('href'), null, 'opened once: the link is retired');
    assert.equal(await item.locator('a[download]').getAttribute('download'), 'report.html', 'the download stays');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('paste and copy', async () => {
    const page = await openPage(ctx.browser, ctx.server.url);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    await waitForScreen(page, PROMPT);
    await page.evaluate(() => navigator.clipboard.writeText('pasted words'));
    await page.evaluate(() => window.term.focus());
    await page.keyboard.press('Control+V');
    await page.keyboard.press('Enter');
    await waitForScreen(page, 'ECHO pasted words');
    // Ctrl-C with a selection copies instead of interrupting.
    await page.evaluate(() => window.term.selectAll());
    await page.keyboard.press('Control+C');
    await waitUntil(async () => (await page.evaluate(() => navigator.clipboard.readText())).includes('ECHO pasted words'), { what: 'the copy' });
    assert.doesNotMatch(await readScreen(page), /INTERRUPTED/);
    await page.context().close();
  });

  test('a phone: the terminal fits, keeps 40+ columns, and has extra keys', async () => {
    const page = await openPage(ctx.browser, ctx.server.url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await waitForScreen(page, PROMPT);
    const { cols, overflow } = await page.evaluate(() => ({
      cols: window.term.cols,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }));
    assert.ok(cols >= 40, `cols ${cols}`);
    assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
    assert.ok(await page.locator('#keys').isVisible());
    await page.locator('#keys [data-key="ctrl-c"]').tap();
    await waitForScreen(page, 'INTERRUPTED');
    await page.context().close();
  });
});

/** A first page at its prompt, then a second one refused: both pages and the second one's notice. */
async function secondVisitorRefused(ctx) {
  const first = await openPage(ctx.browser, ctx.server.url);
  await waitForScreen(first, PROMPT);
  const second = await openPage(ctx.browser, ctx.server.url);
  await second.locator('#notice').waitFor({ state: 'visible' });
  const [title, text] = [await second.locator('#notice-title').innerText(), await second.locator('#notice-text').innerText()];
  return { first, second, title, text };
}

describe('busy and idle, as the page shows them', { skip }, () => {
  const ctx = useServerAndBrowser({ env: { MAX_SESSIONS: '1', IDLE_TIMEOUT: '4', IDLE_WARNING: '3' } });

  test('a second visitor sees "Server busy"; an idle session warns, then closes', async () => {
    const { first, second, title, text } = await secondVisitorRefused(ctx);
    assert.equal(title, 'Server busy');
    assert.match(text, /try again/i);

    // A keystroke restarts the idle clock: the warning comes 1 s later and stays 3 s.
    await typeAndWait(first, 'still here', 'ECHO still here');
    await first.locator('#banner').waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await first.locator('#banner').innerText(), /closes in \d+ s/);
    await first.locator('#notice').waitFor({ state: 'visible', timeout: 8000 });
    assert.equal(await first.locator('#notice-title').innerText(), 'Closed after inactivity');
    assert.ok(await first.locator('#banner').isHidden());

    // The slot is free now: the busy visitor can start again.
    await waitUntil(async () => (await ctx.server.health()).sessions === 0, { what: 'the idle session to end' });
    await second.locator('#start-again').click();
    await waitForScreen(second, PROMPT);
    assert.deepEqual([...first.errors, ...second.errors], []);
    await first.context().close();
    await second.context().close();
  });
});

describe('the per-address limit, as the page shows it', { skip }, () => {
  const ctx = useServerAndBrowser({ env: { MAX_SESSIONS_PER_IP: '1' } });

  test('a second tab from the same address sees "Too many sessions", not "Server busy"', async () => {
    const { first, second, title, text } = await secondVisitorRefused(ctx);
    assert.equal(title, 'Too many sessions');
    assert.match(text, /Close another tab/);
    assert.deepEqual([...first.errors, ...second.errors], []);
    await first.context().close();
    await second.context().close();
  });
});
