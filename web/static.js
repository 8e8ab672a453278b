// The only static routes the server knows. Files are read once at start; anything else is 404.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const PUBLIC = fileURLToPath(new URL('public', import.meta.url));
const MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));

const ROUTES = {
  '/': [PUBLIC, 'index.html'],
  '/js/main.js': [PUBLIC, 'js/main.js'], // the page's modules: index.html loads main.js, which imports the rest
  '/js/downloads.js': [PUBLIC, 'js/downloads.js'],
  '/js/panels.js': [PUBLIC, 'js/panels.js'],
  '/js/protocol.js': [PUBLIC, 'js/protocol.js'],
  '/js/socket.js': [PUBLIC, 'js/socket.js'],
  '/js/terminal.js': [PUBLIC, 'js/terminal.js'],
  '/style.css': [PUBLIC, 'style.css'],
  '/favicon.svg': [PUBLIC, 'favicon.svg'],
  '/vendor/xterm.js': [MODULES, '@xterm/xterm/lib/xterm.js'],
  '/vendor/xterm.css': [MODULES, '@xterm/xterm/css/xterm.css'],
  '/vendor/addon-fit.js': [MODULES, '@xterm/addon-fit/lib/addon-fit.js'],
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function loadStatic() {
  const files = new Map();
  for (const [route, [base, rel]] of Object.entries(ROUTES)) {
    const body = fs.readFileSync(path.join(base, rel));
    files.set(route, {
      body,
      gzip: zlib.gzipSync(body, { level: 9 }),
      type: TYPES[path.extname(rel)],
      etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return files;
}

/** Serves an allowlisted file; returns false when the path is not one of them. */
function serveStatic(files, req, res, pathname) {
  const file = files.get(pathname);
  if (!file) return false;
  res.setHeader('Content-Type', file.type);
  res.setHeader('Cache-Control', 'no-cache'); // revalidate: a deploy changes the files
  res.setHeader('ETag', file.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304);
    res.end();
    return true;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  const body = gzip ? file.gzip : file.body;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

export { loadStatic, serveStatic, ROUTES };
