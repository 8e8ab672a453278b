// Response headers, host and origin checks, client address and optional basic auth.
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

/** The address that counts for per-address limits. Behind Heroku's router, the last X-Forwarded-For hop. */
function clientAddress(req, trustProxy) {
  let addr = req.socket.remoteAddress || 'unknown';
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    if (typeof xff === 'string') {
      const hops = xff.split(',').map((s) => s.trim()).filter(Boolean);
      if (hops.length) addr = hops[hops.length - 1];
    }
  }
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
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

export { CSP, BASE_HEADERS, setBaseHeaders, clientAddress, parseHost, hostAllowed, originAllowed, authorized };
