// The child's environment is built from an allowlist: never the server's whole environment.
const FIXED = {
  TERM: 'xterm-256color', // the app clears the screen and uses colour
  PYTHONUNBUFFERED: '1', // prompts must reach the pty at once
  PYTHONIOENCODING: 'utf-8',
};

// Secrets never reach a browser session: digest settings (the page sends no digests, and the SMTP
// password must not sit in the environment of a process a visitor drives), and the commands' login
// (STATBOTIC_USER/PASSWORD/TOKEN: a script's, never a visitor's).  Not even through APP_ENV_PASS.
const NEVER = ['STATBOTIC_SMTP_', 'STATBOTIC_DIGEST_'];
const NEVER_EXACT = ['STATBOTIC_USER', 'STATBOTIC_PASSWORD', 'STATBOTIC_TOKEN'];
const withheld = (key) => NEVER_EXACT.includes(key) || NEVER.some((prefix) => key.startsWith(prefix));

/**
 * @param {object} serverEnv  process.env of the server
 * @param {object} session    { home, exportDir, dataDir }
 * @param {string[]} extra    more variable names to pass through (APP_ENV_PASS)
 */
function buildChildEnv(serverEnv, { home, exportDir, dataDir }, extra = []) {
  const env = {
    PATH: serverEnv.PATH || '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: serverEnv.LANG || 'C.UTF-8',
    ...FIXED,
  };
  if (serverEnv.TZ) env.TZ = serverEnv.TZ;
  for (const [key, value] of Object.entries(serverEnv)) {
    if (key.startsWith('STATBOTIC_') && !withheld(key) && value !== undefined) env[key] = value;
  }
  if (serverEnv.MONGODB_URI) env.MONGODB_URI = serverEnv.MONGODB_URI;
  for (const key of extra) {
    if (serverEnv[key] !== undefined && !withheld(key)) env[key] = serverEnv[key];
  }
  // One shared store for every web session unless the operator chose one.
  env.STATBOTIC_DATA_DIR = serverEnv.STATBOTIC_DATA_DIR || dataDir;
  // Always the session's own directory, whatever the server env says.
  env.STATBOTIC_EXPORT_DIR = exportDir;
  // Always set: the app then points to the Downloads list instead of a server path the visitor can't open.
  env.STATBOTIC_WEB = '1';
  return env;
}

export { buildChildEnv };
