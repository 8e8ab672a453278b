// The report a manager reads, in the real Chromium of the web suite: made by the real CLI
// (`run.py report`) on a seeded data folder, opened from a file:// URL with every request watched. It
// renders with no console error and no request but the file itself, its charts are accessible SVG, and
// Chromium's print to PDF gives the expected pages on A4 and on Letter.
// UPDATE_SCREENSHOTS=1 also writes docs/report.png (README's picture of it); otherwise nothing is written.
// Skipped (with the reason) when Chromium is missing, except with CI=true, where that fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { browserSkipReason, launchBrowser, REPO } from './helpers.mjs';

const skip = browserSkipReason();
const VENV_PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const SEED = path.join(REPO, 'tests', 'web', 'fixtures', 'seed_report.py');
const PERIOD = '2026-10-01..2026-10-31';
// The seeded October (28 days with figures, 6 metrics, 5 agents) prints on this many pages.
const PAGES = { A4: 6, Letter: 6 };

/** The pages of a PDF Chromium printed: its /Type /Page objects (not the /Type /Pages tree). */
function pdfPages(bytes) {
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
}

describe('the report for a manager in Chromium', { skip }, () => {
  let tmp;
  let file;
  let browser;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'statbotic-report-'));
    const env = {
      PATH: process.env.PATH, HOME: tmp, LANG: 'C.UTF-8', NO_COLOR: '1',
      STATBOTIC_DATA_DIR: path.join(tmp, 'data'), STATBOTIC_EXPORT_DIR: path.join(tmp, 'exports'),
      STATBOTIC_USER: 'dana', STATBOTIC_PASSWORD: 'report-password-1',
    };
    execFileSync(VENV_PYTHON, [SEED, env.STATBOTIC_DATA_DIR], { cwd: REPO, env, encoding: 'utf8' });
    const said = execFileSync(VENV_PYTHON, ['run.py', 'report', PERIOD, '--team', 'support'], { cwd: REPO, env, encoding: 'utf8' });
    file = path.join(env.STATBOTIC_EXPORT_DIR, 'statbotic-report-support-2026-10-01-2026-10-31.html');
    assert.ok(said.includes(file), said);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('it renders with no console error and no request but the file itself', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1500 }, javaScriptEnabled: true });
    const page = await context.newPage();
    const url = pathToFileURL(file).href;
    const requests = [];
    const errors = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });

    assert.equal(await page.title(), 'Team support: stats for 2026-10-01 to 2026-10-31');
    const charts = page.locator('svg[role="img"]');
    assert.equal(await charts.count(), 6, 'a chart per metric');
    for (const chart of await charts.all()) {
      assert.ok((await chart.locator('title').first().textContent()).length > 0);
      assert.match(await chart.locator('desc').first().textContent(), /first .* last .* lowest .* highest .*3 days without a figure/);
      const box = await chart.boundingBox();
      assert.ok(box.width > 800 && box.height > 250, JSON.stringify(box));
    }
    assert.equal(await page.locator('script').count(), 0);
    assert.match(await page.locator('#headline').innerText(), /✗ missed/);
    assert.equal(await page.locator('#daily tbody tr').count(), 31);
    assert.equal(await page.locator('#daily tr.missing').count(), 3);
    assert.equal(await page.locator('#agents tbody tr').count(), 6, 'five agents and the team total');
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length, 'ids are unique on the page');

    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: path.join(REPO, 'docs', 'report.png') });
    }
    for (const [format, pages] of Object.entries(PAGES)) {
      assert.equal(pdfPages(await page.pdf({ format, printBackground: true })), pages, `${format} pages`);
    }
    assert.deepEqual(requests, [url]);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
