// Response headers, host and origin checks, client address, the browser cookie and optional basic auth.
import crypto from 'node:crypto';

// xterm.js injects <style> elements, so style-src needs 'unsafe-inline' (a strict style-src renders a blank terminal).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const BASE_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function setBaseHeaders(res) {
  for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
}

/** The last hop of an X-Forwarded-* header: what the proxy in front of us saw. Null when there is none. */
function lastHop(header) {
  if (typeof header !== 'string') return null;
  const hops = header.split(',').map((s) => s.trim()).filter(Boolean);
  return hops.length ? hops[hops.length - 1] : null;
}

/** The address that counts for per-address limits. Behind Heroku's router, the last X-Forwarded-For hop. */
function clientAddress(req, trustProxy) {
  const addr = (trustProxy && lastHop(req.headers['x-forwarded-for'])) || req.socket.remoteAddress || 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

/** The request came over TLS: to us, or to a trusted proxy that says so (Heroku's router: X-Forwarded-Proto). */
function overTls(req, trustProxy) {
  return Boolean(req.socket.encrypted) || (trustProxy && lastHop(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https');
}

// The browser cookie: set with the page, sent with the WebSocket upgrade and with downloads. A session's
// download links work only with the cookie of the browser that opened it.
const BROWSER_COOKIE = 'statbotic_browser';
const BROWSER_ID = /^[A-Za-z0-9_-]{43}$/;

/** The browser cookie's value when the request carries a well-formed one, else null. */
function browserId(req) {
  for (const part of (req.headers.cookie || '').split(';')) {
    const eq = part.indexOf('=');
    const value = part.slice(eq + 1).trim();
    if (eq > 0 && part.slice(0, eq).trim() === BROWSER_COOKIE && BROWSER_ID.test(value)) return value;
  }
  return null;
}

/** Give the page's response a new browser cookie unless the browser has one (its other tabs use it). */
function setBrowserCookie(req, res, trustProxy) {
  if (browserId(req)) return;
  const id = crypto.randomBytes(32).toString('base64url');
  const secure = overTls(req, trustProxy) ? '; Secure' : '';
  res.setHeader('Set-Cookie', `${BROWSER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure}`);
}

// A host name (DNS labels, or an IPv6 address in brackets), then an optional port.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?)(?::(\d{1,5}))?$/i;

/** A Host header (or a setting's host name) as { name, port }: lower case, no final dot; null when malformed. */
function parseHost(value) {
  const m = HOST.exec(value);
  return m ? { name: m[1].toLowerCase().replace(/\.$/, ''), port: m[2] } : null;
}

/**
 * DNS rebinding: a page on evil.example that resolves to this server sends Host: evil.example (and a
 * matching Origin). Only the names in allowedHosts are served, whatever the port: a name on the list is one
 * no attacker controls. No Host, or a malformed one: refused.
 */
function hostAllowed(req, allowedHosts) {
  const host = parseHost(req.headers.host || '');
  return host !== null && allowedHosts.includes(host.name);
}

/** Same origin (Origin's host equals Host) or listed in ALLOWED_ORIGINS. No Origin: refused. */
function originAllowed(req, allowedOrigins) {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return false;
  let url;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowedOrigins.includes(url.origin.toLowerCase())) return true;
  const host = req.headers.host;
  return typeof host === 'string' && url.host.toLowerCase() === host.toLowerCase();
}

function safeEqual(a, b) {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** BASIC_AUTH="user:password" turns on HTTP basic auth for everything but /healthz. */
function authorized(req, basicAuth) {
  if (!basicAuth) return true;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization || '');
  if (!m) return false;
  return safeEqual(Buffer.from(m[1], 'base64').toString('utf8'), basicAuth);
}

export {
  CSP, BASE_HEADERS, setBaseHeaders, clientAddress, parseHost, hostAllowed, originAllowed, browserId, setBrowserCookie,
  safeEqual, authorized,
};
