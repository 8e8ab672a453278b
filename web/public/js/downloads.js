// The Downloads list beside the terminal: a link per exported file, usable once, until it expires.

/** Adds { name, url, expires (s) } at the top of the list; onUsed() runs after its download starts. */
export function addDownload({ name, url, expires }, onUsed) {
  document.getElementById('no-files').hidden = true;
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.textContent = name;
  const note = document.createElement('span');
  note.className = 'muted';
  note.textContent = ` link works once, for ${Math.round(expires / 60) || 1} min`;
  li.append(link, note);
  document.getElementById('files').prepend(li);
  const retire = (text) => {
    li.classList.add('used');
    link.removeAttribute('href');
    note.textContent = ` ${text}`;
  };
  const timer = setTimeout(() => retire('expired'), expires * 1000);
  link.addEventListener('click', () => {
    clearTimeout(timer);
    setTimeout(() => { retire('downloaded'); onUsed(); }, 0);
  });
}
