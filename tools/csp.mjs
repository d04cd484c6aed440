// The page's Content-Security-Policy, one definition for tools/serve (a header) and tools/dist (a
// <meta> in the static page, and the header its service worker adds).
// Everything from 'self'; wasm compilation allowed ('wasm-unsafe-eval', not 'unsafe-eval');
// workers from our own scripts (blob: for Emscripten's pthread workers); no third-party origin.
export const CSP_DIRECTIVES = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self' blob:",
  "connect-src 'self'", "img-src 'self' data: blob:", "style-src 'self'", "font-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
];
export const CSP = CSP_DIRECTIVES.join('; ');
// A <meta http-equiv> policy cannot carry frame-ancestors (browsers ignore it there, with a console error).
export const META_CSP = CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
