// The page <-> server protocol, written once: the server imports this file and the page loads it as
// /js/protocol.js, so both ends use the same names. (That is why web/ is ES modules: see web/server.js.)
//
// The WebSocket is /ws. Binary frames carry terminal bytes, both ways. Text frames carry one JSON control
// message each, { t: <type>, ...fields }; times are in seconds.

/** Control message types, each with who sends it and its fields. */
export const MSG = Object.freeze({
  HELLO: 'hello', // page -> server { cols, rows }: the terminal's size; the app starts after it, once
  RESIZE: 'resize', // page -> server { cols, rows }
  FILE: 'file', // server -> page { name, url, open?, expires, grace }: an export, downloadable once from url (by
  //               this browser: its cookie) for `expires` s, and at most `grace` s once the session has ended;
  //               a report (.html) has `open` too: a one-time link showing it in a new tab
  IDLE: 'idle', // server -> page { in }: no keystrokes for a while; the session closes (IDLE) in `in` s
  ACTIVE: 'active', // server -> page: a keystroke came after an idle warning, which no longer holds
  ENDING: 'ending', // server -> page { in }: the session reaches its maximum age (MAX_AGE) in `in` s
  EXIT: 'exit', // server -> page { code }: the app's exit code, just before the close
  ERROR: 'error', // server -> page { message }: a sentence for the page's status line
});

/**
 * Close codes. The page tells the visitor what each one means, by its code alone: the close reason is
 * free text for logs and people reading them, never to be matched.
 */
export const CLOSE = Object.freeze({
  APP_EXITED: 1000, // the app ended by itself (its exit code came just before, in an EXIT message)
  SERVER_RESTARTING: 1001, // the server is stopping (deploy, restart); start again in a moment
  REFUSED: 1008, // the page broke the protocol: no hello in time, bytes before hello, a bad message
  TOO_BIG: 1009, // a message over MAX_PAYLOAD (the ws library closes with it)
  SPAWN_FAILED: 1011, // the app could not be started
  BUSY: 1013, // every session is in use (MAX_SESSIONS): try again later
  IDLE: 4000, // no keystrokes for IDLE_TIMEOUT
  MAX_AGE: 4001, // the session reached MAX_SESSION_AGE
  ADDRESS_LIMIT: 4002, // this address already has MAX_SESSIONS_PER_IP sessions open
});
