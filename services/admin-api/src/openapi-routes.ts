/**
 * `GET /api/v1/openapi.json`: the admin API described as OpenAPI 3.1, built from the routes
 * registered on this app (openapi-document.ts) the first time it is asked for. Any signed-in role
 * may read it (permission `api-description.read`); it holds no secret, and a caller without
 * credentials learns nothing of the API from it.
 */
import type { ApiRoutes } from './api-routes.js';
import { openApiDocument } from './openapi-document.js';

/** The version of the described API (the `v1` of its paths), not of the software. */
export const API_DESCRIPTION_VERSION = '1.0.0';

export function registerOpenApiRoutes(routes: ApiRoutes): void {
  let document: Record<string, unknown> | undefined;
  routes.add(
    'get',
    '/api/v1/openapi.json',
    async (_req, res) => {
      document ??= openApiDocument(routes.list(), routes.listPublic(), { version: API_DESCRIPTION_VERSION });
      res.json(document);
    },
    { permission: 'api-description.read', summary: 'This API described as an OpenAPI 3.1 document' },
  );
}
