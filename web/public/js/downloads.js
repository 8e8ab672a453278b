// The Downloads list beside the terminal: a link per exported file, usable once, until it expires, and at
// most `grace` seconds after its session ends.

let current = []; // the running session's links that still work

/** How long, in words: "5 min", "1 min", "40 s". */
function lifetime(s) {
  return s >= 90 ? `${Math.round(s / 60)} min` : s >= 60 ? '1 min' : `${Math.max(1, Math.ceil(s))} s`;
}

/** Adds { name, url, expires (s), grace (s) } at the top of the list; onUsed() runs after its download starts. */
export function addDownload({ name, url, expires, grace }, onUsed) {
  document.getElementById('no-files').hidden = true;
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.textContent = name;
  const note = document.createElement('span');
  note.className = 'muted';
  li.append(link, note);
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
