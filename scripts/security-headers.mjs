// Security headers of every response, set by the front gate (front-gate.mjs). HSTS is left to
// the TLS terminator in front (docs/security.md): this process speaks plain HTTP.
import { createHash } from 'node:crypto';

export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), browsing-topics=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** JSON, scripts, styles, images: nothing in them may run, frame or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * An HTML page's policy: scripts from this origin plus exactly the inline scripts the page
 * carries (by hash, so an injected one does not run); no framing, no plugins, no foreign
 * forms. Pictures may come from any https host
 * (a sale's imageUrl). Styles allow inline `style` attributes, which React writes.
 */
export function contentSecurityPolicy(scriptHashes) {
  return [
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((h) => ` 'sha256-${h}'`).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:", // a sale's picture may be an https URL
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** SHA-256 (base64) of each inline script's text in an HTML document, deduplicated. */
export function hashesOfInlineScripts(html) {
  const hashes = new Set();
  for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(attributes)) continue;
    hashes.add(createHash('sha256').update(body, 'utf8').digest('base64'));
  }
  return [...hashes];
}
