// The console's pages: app/ bundled into dist/public (beside the compiled src/index.js that points
// at it). JSX is compiled by Vite's own transformer with Preact's automatic runtime, no plugin.
// Nothing is inlined (the page CSP has no 'unsafe-inline') and nothing is fetched from elsewhere.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'app',
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/public',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
