/**
 * `POST /api/v1/tokens/import`: the Azure MFA OATH hardware-token CSV. Missing users are created
 * and each row's token set, all in one transaction. With a bad row nothing is written, unless the
 * admin asks for `?partial=true`, in which case the good rows go in and the bad ones are listed.
 */
import { z } from 'zod';
import { totpSeedContext } from '@tollgate/contracts';
import { tokens, users } from '@tollgate/store';
import { isWholeFileError, parseOathCsv, type OathCsvError } from '@tollgate/totp';
import { ApiError } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { parseQuery, type ApiRoutes } from './api-routes.js';
import { canonicalUpn } from './canonical-upn.js';

const ImportQuery = z.strictObject({
  partial: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
});

/** Above this many users one `all` event replaces a storm of per-user ones. */
const MAX_PER_USER_EVENTS = 100;

export function registerTokenImportRoutes(routes: ApiRoutes, kit: AdminKit): void {
  routes.add(
    'post',
    '/api/v1/tokens/import',
    async (req, res) => {
      const partial = parseQuery(ImportQuery, req).partial === 'true';
      if (typeof req.body !== 'string') throw new ApiError(400, 'bad_request', 'must be CSV text (Content-Type: text/csv)', 'body');
      const domain = await kit.entraDomain();
      // The same user names as the rest of the API: a bare name takes the Entra domain.
      const csv = parseOathCsv(req.body, { canonicalUpn: (cell) => canonicalUpn(cell, domain) });
      const fileLevel = csv.errors.some(isWholeFileError);
      if (fileLevel || (csv.errors.length > 0 && !partial)) {
        res.status(400).json(rejected(csv.errors, fileLevel));
        return;
      }
      // Seal before the transaction so it holds its locks only for the writes.
      const rows = csv.tokens.map((token) => ({ ...token, secretSealed: kit.deps.keyring.seal(token.secret, totpSeedContext(token.upn)) }));
      const created = await kit.db.transaction(async (tx) => {
        let count = 0;
        for (const row of rows) {
          if (await users.create(tx, { upn: row.upn })) count++;
          await tokens.put(tx, {
            upn: row.upn,
            secretSealed: row.secretSealed,
            digits: row.digits,
            period: row.period,
            algorithm: 'SHA1',
            source: 'hardware',
            serial: row.serial,
            manufacturer: row.manufacturer,
            model: row.model,
          });
        }
        return count;
      });
      await kit.audit('tokens.import', `${rows.length} users`, {
        imported: rows.length,
        usersCreated: created,
        rejectedRows: csv.errors.length,
        partial,
      });
      if (rows.length > MAX_PER_USER_EVENTS) kit.configChanged({ kind: 'all' });
      else for (const row of rows) kit.configChanged({ kind: 'users', key: row.upn });
      res.json({ imported: rows.length, errors: csv.errors });
    },
    'csv',
  );
}

function rejected(errors: OathCsvError[], fileLevel: boolean) {
  const message = fileLevel
    ? 'the file cannot be read as an OATH token CSV; nothing was imported'
    : `${errors.length} row(s) have errors; nothing was imported (add ?partial=true to import the good rows)`;
  return { imported: 0, errors, error: { code: 'invalid_rows', message } };
}
