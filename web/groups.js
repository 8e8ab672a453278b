// Process groups: a session's pty and a share page's app each run in a group of their own, so a
// signal to the group reaches whatever the app started too.

/** Signal a whole process group; false when no process is left in it. */
function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export { signalGroup };
