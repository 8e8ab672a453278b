// Session folders left behind by a server that was killed (SIGKILL, a crash): it never removed them.
// A folder is stale when it is older than any live session's can be, so servers sharing SESSIONS_ROOT never
// remove each other's live ones. Only our own naming, owned by us, real directories: a link is never followed.
import fs from 'node:fs';
import path from 'node:path';

const SESSION_DIR_PREFIX = 'statbotic-web-'; // fs.mkdtemp adds six characters
const SESSION_DIR = new RegExp(`^${SESSION_DIR_PREFIX}[A-Za-z0-9]{6}$`);

/** Removes the stale session folders in root (last changed minAgeMs ago or more); returns how many. */
function sweepStaleDirs(root, minAgeMs) {
  const now = Date.now();
  let names;
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => SESSION_DIR.test(n))) {
    const full = path.join(root, name);
    try {
      const st = fs.lstatSync(full); // a symlink is not a directory here
      if (!st.isDirectory() || st.uid !== process.getuid() || now - st.mtimeMs < minAgeMs) continue;
      fs.rmSync(full, { recursive: true, force: true, maxRetries: 2 }); // removes links inside, never follows them
      removed += 1;
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

export { SESSION_DIR_PREFIX, sweepStaleDirs };
