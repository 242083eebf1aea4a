// The console's pages: app/ bundled into dist/public (beside the compiled src/index.js that points
// at it). JSX is compiled by Vite's own transformer with Preact's automatic runtime, no plugin.
// Nothing is inlined (the page CSP has no 'unsafe-inline') and nothing is fetched from elsewhere.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'app',
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run dev -w @tollgate/admin-console`: the pages with hot reload, the API from a running
  // Tollgate on its default address (same origin for the browser, so the session cookie works).
  server: { host: '127.0.0.1', proxy: { '/api': process.env.TOLLGATE_ADMIN_URL ?? 'http://127.0.0.1:8080' } },
  // The dependency scan would compile JSX for React; the three Preact entries are all there is.
  optimizeDeps: { noDiscovery: true, include: ['preact', 'preact/hooks', 'preact/jsx-dev-runtime'] },
  build: {
    outDir: '../dist/public',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
