// What the page says around the terminal: the status line, a warning banner with a countdown, and the
// notice shown when a session ends, with what each close code means to the visitor.
import { CLOSE } from './protocol.js';

const $ = (id) => document.getElementById(id);
let bannerTimer = null;

const NOTICES = {
  [CLOSE.SERVER_RESTARTING]: ['Server restarting', 'The server is restarting. Start again in a moment.'],
  [CLOSE.REFUSED]: ['Session refused', 'The server refused the connection.'],
  [CLOSE.TOO_BIG]: ['Session closed', 'Too much was sent at once, so the session was closed.'],
  [CLOSE.SPAWN_FAILED]: ['Could not start', 'The server could not start Statbotic. Please try again later.'],
  [CLOSE.BUSY]: ['Server busy', 'All sessions are in use right now. Please try again in a few minutes.'],
  [CLOSE.IDLE]: ['Closed after inactivity', 'The session closed because nothing was typed for a while.'],
  [CLOSE.MAX_AGE]: ['Time limit reached', 'The session reached its maximum length.'],
  [CLOSE.ADDRESS_LIMIT]: ['Too many sessions',
    'You already have the maximum number of sessions open. Close another tab, then start again.'],
};
const LOST = ['Connection lost', 'The connection to the server was lost.'];

/** [title, text] for a session closed with code; exitCode is the app's, or null. */
export function explain(code, exitCode) {
  if (code === CLOSE.APP_EXITED) {
    return ['Session ended', exitCode === null || exitCode === 0
      ? 'Statbotic has finished.' : `Statbotic stopped (exit code ${exitCode}).`];
  }
  return NOTICES[code] || LOST;
}

/** kind: 'ok', 'busy', 'bad' or '' (the style sheet colours them). */
export function setStatus(text, kind = '') {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind;
}

/** Shows template with {s} counting down from seconds to 0. */
export function showBanner(template, seconds) {
  clearInterval(bannerTimer);
  const el = $('banner');
  let left = seconds;
  const render = () => { el.textContent = template.replace('{s}', String(Math.max(left, 0))); };
  render();
  el.hidden = false;
  bannerTimer = setInterval(() => { left -= 1; render(); if (left <= 0) clearInterval(bannerTimer); }, 1000);
}

export function hideBanner() {
  clearInterval(bannerTimer);
  $('banner').hidden = true;
}

export function showNotice(title, text) {
  $('notice-title').textContent = title;
  $('notice-text').textContent = text;
  $('notice').hidden = false;
  $('start-again').focus();
}

export function hideNotice() {
  $('notice').hidden = true;
}
