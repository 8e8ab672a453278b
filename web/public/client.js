// Statbotic page: an xterm.js terminal wired to the server's /ws session.
// Protocol: text frames are JSON control messages, binary frames are terminal bytes (see web/session.js).
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const MIN_COLS = 40; // the server's default COLS_MIN: below it, shrink the font instead
  const KEYS = { esc: '\x1b', tab: '\t', 'ctrl-c': '\x03', 'ctrl-d': '\x04', enter: '\r' };

  // 12 px on a phone gives ~47 columns, enough for the app's 45-column banner.
  const preferredFontSize = () => {
    if (window.matchMedia('(max-width: 420px)').matches) return 12;
    return window.matchMedia('(max-width: 600px)').matches ? 13 : 15;
  };
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: preferredFontSize(),
    scrollback: 2000,
    theme: {
      background: '#0d1117', foreground: '#e6edf3', cursor: '#3ddc97', cursorAccent: '#0d1117',
      selectionBackground: '#2f4f7a',
      black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922', blue: '#58a6ff',
      magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
      brightBlack: '#6e7681', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341',
      brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#f0f6fc',
    },
  });
  const fitAddon = new FitAddon.FitAddon();
  term.loadAddon(fitAddon);
  term.open($('terminal'));
  window.term = term; // test hook: the browser tests read the screen from term.buffer

  const encoder = new TextEncoder();
  let ws = null; // the current socket; null when no session is running
  let exitCode = null;
  let bannerTimer = null;

  // ---- size ----

  function fit() {
    term.options.fontSize = preferredFontSize();
    fitAddon.fit();
    // Phones: shrink the font until the menus' minimum width fits.
    while (term.cols < MIN_COLS && term.options.fontSize > 9) {
      term.options.fontSize -= 1;
      fitAddon.fit();
    }
  }

  let fitTimer = null;
  const fitSoon = () => {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(fit, 80);
  };
  new ResizeObserver(fitSoon).observe($('terminal'));
  window.addEventListener('resize', fitSoon);

  term.onResize(({ cols, rows }) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ t: 'resize', cols, rows }));
  });

  // ---- status, banner, notice ----

  function setStatus(text, kind) {
    const el = $('status');
    el.textContent = text;
    el.dataset.kind = kind || '';
  }

  function showBanner(template, seconds) {
    clearInterval(bannerTimer);
    const el = $('banner');
    let left = seconds;
    const render = () => { el.textContent = template.replace('{s}', String(Math.max(left, 0))); };
    render();
    el.hidden = false;
    bannerTimer = setInterval(() => { left -= 1; render(); if (left <= 0) clearInterval(bannerTimer); }, 1000);
  }

  function hideBanner() {
    clearInterval(bannerTimer);
    $('banner').hidden = true;
  }

  function showNotice(title, text) {
    $('notice-title').textContent = title;
    $('notice-text').textContent = text;
    $('notice').hidden = false;
    $('start-again').focus();
  }

  /** What the page says for each close code (see the protocol in web/session.js). */
  function explain(code, reason) {
    switch (code) {
      case 1000:
        return ['Session ended', exitCode === null || exitCode === 0
          ? 'Statbotic has finished.' : `Statbotic stopped (exit code ${exitCode}).`];
      case 1001: return ['Server restarting', 'The server is restarting. Start again in a moment.'];
      case 1009: return ['Session closed', 'Too much was sent at once, so the session was closed.'];
      case 1011: return ['Could not start', 'The server could not start Statbotic. Please try again later.'];
      case 1013:
        return /address/.test(reason)
          ? ['Too many sessions', 'You already have the maximum number of sessions open. Close another tab, then start again.']
          : ['Server busy', 'All sessions are in use right now. Please try again in a few minutes.'];
      case 4000: return ['Closed after inactivity', 'The session closed because nothing was typed for a while.'];
      case 4001: return ['Time limit reached', 'The session reached its maximum length.'];
      case 1008: return ['Session refused', 'The server refused the connection.'];
      default: return ['Connection lost', 'The connection to the server was lost.'];
    }
  }

  // ---- session ----

  function connect() {
    if (ws) {
      const old = ws;
      ws = null; // its close event is not news any more
      old.close(1000, 'restart');
    }
    exitCode = null;
    hideBanner();
    $('notice').hidden = true;
    term.reset();
    fit();
    setStatus('Connecting…', 'busy');
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket.binaryType = 'arraybuffer';
    ws = socket;
    socket.onopen = () => {
      if (socket !== ws) return;
      fit();
      socket.send(JSON.stringify({ t: 'hello', cols: term.cols, rows: term.rows }));
      setStatus('Running', 'ok');
      term.focus();
    };
    socket.onmessage = (ev) => {
      if (socket !== ws) return;
      if (typeof ev.data === 'string') control(JSON.parse(ev.data));
      else term.write(new Uint8Array(ev.data));
    };
    socket.onclose = (ev) => {
      if (socket !== ws) return;
      ws = null;
      hideBanner();
      const [title, text] = explain(ev.code, ev.reason || '');
      setStatus(title, ev.code === 1000 ? '' : 'bad');
      showNotice(title, text);
    };
  }

  function control(msg) {
    switch (msg.t) {
      case 'file': addFile(msg); break;
      case 'idle': showBanner('No keystrokes for a while: this session closes in {s} s. Press any key to keep it open.', msg.in); break;
      case 'ending': showBanner('This session reaches its time limit in {s} s. Download anything you need now.', msg.in); break;
      case 'active': hideBanner(); break;
      case 'exit': exitCode = msg.code; break;
      case 'error': setStatus(msg.message, 'bad'); break;
      default: break;
    }
  }

  function send(data) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(encoder.encode(data));
    } else if (!ws && data === '\r') {
      connect(); // Enter on an ended session starts a fresh one
    }
  }

  term.onData(send);
  term.onBinary((data) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 255));
  });

  // ---- copy and paste ----

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).catch(() => {});
      return;
    }
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch { /* nothing else to try */ }
    area.remove();
    term.focus();
  }

  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    const key = e.key.toLowerCase();
    if (e.ctrlKey && key === 'c' && (e.shiftKey || term.hasSelection())) {
      copy(term.getSelection());
      term.clearSelection();
      e.preventDefault();
      return false;
    }
    if (e.ctrlKey && key === 'v') return false; // let the browser paste; xterm handles the paste event
    return true;
  });

  // ---- downloads ----

  function addFile({ name, url, expires }) {
    $('no-files').hidden = true;
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.textContent = name;
    const note = document.createElement('span');
    note.className = 'muted';
    note.textContent = ` link works once, for ${Math.round(expires / 60) || 1} min`;
    li.append(link, note);
    $('files').prepend(li);
    const retire = (text) => {
      li.classList.add('used');
      link.removeAttribute('href');
      note.textContent = ` ${text}`;
    };
    const timer = setTimeout(() => retire('expired'), expires * 1000);
    link.addEventListener('click', () => {
      clearTimeout(timer);
      setTimeout(() => { retire('downloaded'); term.focus(); }, 0);
    });
  }

  // ---- buttons ----

  $('restart').addEventListener('click', connect);
  $('start-again').addEventListener('click', connect);
  $('start-again').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); connect(); }
  });
  $('keys').addEventListener('click', (e) => {
    const key = e.target.closest('button')?.dataset.key;
    if (!key) return;
    if (key === 'up' || key === 'down') {
      const app = term.modes.applicationCursorKeysMode;
      send((app ? '\x1bO' : '\x1b[') + (key === 'up' ? 'A' : 'B'));
    } else {
      send(KEYS[key]);
    }
    term.focus();
  });

  connect();
})();
