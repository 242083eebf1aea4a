/**
 * Where the built console is: `vite build` writes the pages and their assets to dist/public, beside
 * this module's compiled form, so the admin API finds them through the package in a checkout and
 * in the runtime image alike.
 */
import { fileURLToPath } from 'node:url';

export const CONSOLE_ASSETS_DIR = fileURLToPath(new URL('./public/', import.meta.url));
