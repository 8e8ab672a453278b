// One JSON line per event on stdout. Callers pass ids, counts and codes only:
// never keystrokes, screen content or file contents.
function log(event, fields = {}) {
  process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event, ...fields }) + '\n');
}

export { log };
