#!/usr/bin/env node
// The `tollgate` command. Committed, unlike dist/, so `npm ci` on a fresh clone links it (npm links
// bins at install time, before anything is built); it runs the compiled launcher, or says to build.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('tollgate: the launcher is not built yet (libs/launcher/dist/main.js is missing): run `npm run build` first');
  process.exit(2);
}
await import(main.href);
