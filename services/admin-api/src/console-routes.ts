/**
 * The admin console's pages, served from the built `@tollgate/admin-console` package: its hashed
 * assets (cached for a year, their names change with their content) and, for any other GET of a
 * page route, index.html (the single-page app routes in the browser). Never for /api: an unknown
 * API path stays a JSON 404, and a missing asset (under /assets/, or a file name such as
 * favicon.ico) is a 404 too.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { CONSOLE_ASSETS_DIR } from '@tollgate/admin-console';
import { securityHeaders } from './security-headers.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A request for a file rather than a page (page paths may hold dots: /users/alice@contoso.com). */
const ASSET_NAME = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|txt|json|webmanifest|woff2?|ttf)$/i;

export function consoleRoutes(dir: string = CONSOLE_ASSETS_DIR): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  const pagesOnly: RequestHandler = (req, _res, next) => {
    const api = req.path === '/api' || req.path.startsWith('/api/');
    next(api || (req.method !== 'GET' && req.method !== 'HEAD') ? 'router' : undefined);
  };
  const files = express.static(dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', file.startsWith(path.join(dir, 'assets')) ? IMMUTABLE : 'no-store');
    },
  });
  const page: RequestHandler = (req, res, next) => {
    if (req.path.startsWith('/assets/') || ASSET_NAME.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (!existsSync(index)) {
      res.status(404).type('text/plain').send('the admin console is not built (npm run build)\n');
      return;
    }
    res.sendFile(index);
  };
  router.use(pagesOnly, ...securityHeaders('page'), files, page);
  return router;
}
