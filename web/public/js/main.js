// The Statbotic page: an xterm.js terminal wired to a session on the server, which runs the app in a pty.
// One session starts on load; a fresh one on Restart, Start again, or Enter once a session has ended
// (never a silent reconnect).
import { addDownload, endDownloads } from './downloads.js';
import { explain, hideBanner, hideNotice, setStatus, showBanner, showNotice } from './panels.js';
import { CLOSE, MSG } from './protocol.js';
import { Connection } from './socket.js';
import { createTerminal, keyInput } from './terminal.js';

const $ = (id) => document.getElementById(id);
const WARNINGS = {
  [MSG.IDLE]: 'No keystrokes for a while: this session closes in {s} s. Press any key to keep it open.',
  [MSG.ENDING]: 'This session reaches its time limit in {s} s. Download anything you need now.',
};

const { term, fit } = createTerminal($('terminal'));
window.term = term; // test hook: the browser tests read the screen from term.buffer
const encoder = new TextEncoder();
let session = null; // the current Connection; null when no session is running
let exitCode = null;

function connect() {
  session?.abandon();
  endDownloads();
  exitCode = null;
  hideBanner();
  hideNotice();
  term.reset();
  fit();
  setStatus('Connecting…', 'busy');
  session = new Connection({ open: onOpen, output: (bytes) => term.write(bytes), message: onMessage, close: onClose });
}

function onOpen() {
  fit();
  session.hello(term.cols, term.rows);
  setStatus('Running', 'ok');
  term.focus();
}

function onMessage(msg) {
  switch (msg.t) {
    case MSG.FILE: addDownload(msg, () => term.focus()); break;
    case MSG.IDLE: case MSG.ENDING: showBanner(WARNINGS[msg.t], msg.in); break;
    case MSG.ACTIVE: hideBanner(); break;
    case MSG.EXIT: exitCode = msg.code; break;
    case MSG.ERROR: setStatus(msg.message, 'bad'); break;
    default: break;
  }
}

function onClose(code) {
  session = null;
  endDownloads();
  hideBanner();
  const [title, text] = explain(code, exitCode);
  setStatus(title, code === CLOSE.APP_EXITED ? '' : 'bad');
  showNotice(title, text);
}

/** Typed text goes to the app; Enter on an ended session starts a fresh one. */
function type(data) {
  if (session?.isOpen) session.sendBytes(encoder.encode(data));
  else if (!session && data === '\r') connect();
}

term.onData(type);
term.onBinary((data) => session?.sendBytes(Uint8Array.from(data, (c) => c.charCodeAt(0) & 255)));
term.onResize(({ cols, rows }) => session?.resize(cols, rows));

$('restart').addEventListener('click', connect);
$('start-again').addEventListener('click', connect);
$('start-again').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { e.preventDefault(); connect(); }
});
$('keys').addEventListener('click', (e) => {
  const key = e.target.closest('button')?.dataset.key;
  if (!key) return;
  type(keyInput(term, key));
  term.focus();
});

connect();
