// The Downloads list beside the terminal: a link per exported file, usable once, until it expires, and at
// most `grace` seconds after its session ends.

let current = []; // the running session's links that still work

/** How long, in words: "5 min", "1 min", "40 s". */
function lifetime(s) {
  return s >= 90 ? `${Math.round(s / 60)} min` : s >= 60 ? '1 min' : `${Math.max(1, Math.ceil(s))} s`;
}

/** A link to open a report in a new tab, once: it leaves nothing behind (no opener, no referrer). */
function openLink(url, onOpened) {
  const open = document.createElement('a');
  open.href = url;
  open.target = '_blank';
  open.rel = 'noopener noreferrer';
  open.className = 'open';
  open.textContent = 'open';
  open.addEventListener('click', () => setTimeout(() => {
    open.removeAttribute('href');
    open.textContent = 'opened';
    onOpened();
  }, 0));
  return open;
}

/**
 * Adds { name, url, open?, expires (s), grace (s) } at the top of the list; onUsed() runs after its download
 * starts. A report (open: its url) can also be opened once in a new tab.
 */
export function addDownload({ name, url, open, expires, grace }, onUsed) {
  document.getElementById('no-files').hidden = true;
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.textContent = name;
  const note = document.createElement('span');
  note.className = 'muted';
  li.append(link);
  if (open) li.append(' (', openLink(open, onUsed), ')');
  li.append(note);
  document.getElementById('files').prepend(li);
  let timer;
  const entry = {
    endsAt: Date.now() + expires * 1000,
    grace,
    /** Works for s more seconds (never longer than it was offered for). */
    expireIn(s) {
      clearTimeout(timer);
      timer = setTimeout(() => retire('expired'), s * 1000);
      note.textContent = ` link works once, for ${lifetime(s)}`;
    },
  };
  const retire = (text) => {
    clearTimeout(timer);
    current = current.filter((e) => e !== entry);
    li.classList.add('used');
    link.removeAttribute('href');
    li.querySelector('a.open')?.removeAttribute('href');
    note.textContent = ` ${text}`;
  };
  entry.expireIn(expires);
  current.push(entry);
  link.addEventListener('click', () => {
    clearTimeout(timer);
    setTimeout(() => { retire('downloaded'); onUsed(); }, 0);
  });
}

/** The session that offered the current links has ended: each still works for its grace at most. */
export function endDownloads() {
  for (const entry of current) entry.expireIn(Math.min((entry.endsAt - Date.now()) / 1000, entry.grace));
  current = [];
}
