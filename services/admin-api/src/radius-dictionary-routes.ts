/** `GET /api/v1/radius/dictionary`: the reply attributes a policy may name, from the same dictionary the gateway encodes with. */
import { listAttributes } from '@tollgate/radius-dictionary';
import type { AdminKit } from './admin-kit.js';
import type { ApiRoutes } from './api-routes.js';

export function registerRadiusDictionaryRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'get',
    '/api/v1/radius/dictionary',
    async (_req, res) => {
      const dictionary = kit.dictionary;
      res.json({
        vendors: [...dictionary.vendors.values()]
          .map((v) => ({ name: v.name, id: v.id, supported: v.unsupported === undefined }))
          .sort((a, b) => a.id - b.id),
        attributes: listAttributes(dictionary),
      });
    },
    { summary: 'The RADIUS attributes and values reply attributes may use' },
  );
}
