// The xterm.js terminal: its look, fitting its box (a smaller font on phones), copy and paste, extra keys.
// Terminal and FitAddon are globals from the vendor scripts, which index.html loads before the modules.

const MIN_COLS = 40; // the server's default COLS_MIN: below it, shrink the font instead
const KEYS = { esc: '\x1b', tab: '\t', 'ctrl-c': '\x03', 'ctrl-d': '\x04', enter: '\r' };
const THEME = {
  background: '#0d1117', foreground: '#e6edf3', cursor: '#3ddc97', cursorAccent: '#0d1117',
  selectionBackground: '#2f4f7a',
  black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922', blue: '#58a6ff',
  magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
  brightBlack: '#6e7681', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341',
  brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#f0f6fc',
};

// 12 px on a phone gives ~47 columns, enough for the app's 45-column banner.
function preferredFontSize() {
  if (window.matchMedia('(max-width: 420px)').matches) return 12;
  return window.matchMedia('(max-width: 600px)').matches ? 13 : 15;
}

/** A terminal opened in element, refitted when the element or the window changes size. */
export function createTerminal(element) {
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: preferredFontSize(),
    scrollback: 2000,
    theme: THEME,
  });
  const fitAddon = new FitAddon.FitAddon();
  term.loadAddon(fitAddon);
  term.open(element);
  term.attachCustomKeyEventHandler((e) => clipboardKey(term, e));

  const fit = () => {
    term.options.fontSize = preferredFontSize();
    fitAddon.fit();
    // Phones: shrink the font until the menus' minimum width fits.
    while (term.cols < MIN_COLS && term.options.fontSize > 9) {
      term.options.fontSize -= 1;
      fitAddon.fit();
    }
  };
  let fitTimer = null;
  const fitSoon = () => {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(fit, 80);
  };
  new ResizeObserver(fitSoon).observe(element);
  window.addEventListener('resize', fitSoon);
  return { term, fit };
}

/** Ctrl-C copies when text is selected (or with Shift); Ctrl-V is left to the browser's paste. */
function clipboardKey(term, e) {
  if (e.type !== 'keydown') return true;
  const key = e.key.toLowerCase();
  if (e.ctrlKey && key === 'c' && (e.shiftKey || term.hasSelection())) {
    copy(term, term.getSelection());
    term.clearSelection();
    e.preventDefault();
    return false;
  }
  if (e.ctrlKey && key === 'v') return false; // xterm handles the paste event that follows
  return true;
}

function copy(term, text) {
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

/** What an extra-key button types; the arrows follow the app's cursor-key mode. */
export function keyInput(term, key) {
  if (key === 'up' || key === 'down') {
    const app = term.modes.applicationCursorKeysMode;
    return (app ? '\x1bO' : '\x1b[') + (key === 'up' ? 'A' : 'B');
  }
  return KEYS[key];
}
