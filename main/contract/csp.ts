// The renderer's Content Security Policy, in one place: the build puts it in a meta tag and the
// app:// protocol sends it as a header (where frame-ancestors, ignored in a meta tag, also applies).
export const RENDERER_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];
