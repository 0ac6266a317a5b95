// The renderer is served from app://studio/ (not file://): a standard, secure origin that the IPC
// sender check can pin, and responses that carry the CSP as a header. Only files under dist/renderer.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { RENDERER_CSP_DIRECTIVES } from '../contract/csp.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://studio`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The same policy the renderer's build puts in a meta tag; as a header it also covers frame-ancestors. */
export const CONTENT_SECURITY_POLICY = [...RENDERER_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** Our page's URLs. Compared by parts: Node's URL gives a custom scheme the origin "null". */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'studio';
  } catch {
    return false;
  }
}

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir + sep);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'studio' || request.method !== 'GET') return new Response('Not found', { status: 404 });
    try {
      const file = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
      if (!file.startsWith(root)) return new Response('Not found', { status: 404 });
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
