/**
 * `POST /api/v1/tokens/import`: the Azure MFA OATH hardware-token CSV. Missing users are created
 * and each row's token set, all in one transaction. With a bad row nothing is written, unless the
 * admin asks for `?partial=true`, in which case the good rows go in and the bad ones are listed.
 * A file may hold 50,000 rows (LARGE_CSV_LIMIT): seeds are sealed in slices that yield to the
 * event loop between them, and rows are written a few thousand per statement.
 */
import { z } from 'zod';
import { totpSeedContext } from '@tollgate/contracts';
import { tokens, users, type NewToken } from '@tollgate/store';
import { isWholeFileError, parseOathCsv, type OathCsvError, type OathCsvToken } from '@tollgate/totp';
import { ApiError } from './api-error.js';
import type { AdminKit } from './admin-kit.js';
import { LARGE_CSV_LIMIT, parseQuery, type ApiRoutes } from './api-routes.js';
import { canonicalUpn } from './canonical-upn.js';

const ImportQuery = z.strictObject({
  partial: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
});

/** Above this many users one `all` event replaces a storm of per-user ones. */
const MAX_PER_USER_EVENTS = 100;
/** Rows per INSERT: a 50,000-row file is about 25 statements, each well under PostgreSQL's limits. */
export const IMPORT_ROWS_PER_STATEMENT = 2000;
/** Seeds sealed between two turns of the event loop (AES-GCM: a few milliseconds a slice). */
const SEALS_PER_SLICE = 1000;

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
      const rows = await sealAll(kit, csv.tokens);
      const created = await kit.db.transaction(async (tx) => {
        let count = 0;
        for (let start = 0; start < rows.length; start += IMPORT_ROWS_PER_STATEMENT) {
          const slice = rows.slice(start, start + IMPORT_ROWS_PER_STATEMENT);
          count += await users.createMany(
            tx,
            slice.map((row) => row.upn),
          );
          await tokens.putMany(tx, slice);
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
    {
      body: 'csv',
      bodyLimit: LARGE_CSV_LIMIT,
      summary: 'Import an Azure MFA OATH hardware-token CSV (up to 16 MB, 50,000 rows), all or nothing',
      query: ImportQuery,
      responses: {
        400: 'Bad rows (`invalid_rows`: `{imported: 0, errors: [{line, field, message}], error}`), an unreadable file, or a bad `partial`',
      },
    },
  );
}

/** The rows as tokens to store, their seeds sealed a slice at a time so other requests are served in between. */
async function sealAll(kit: AdminKit, parsed: OathCsvToken[]): Promise<NewToken[]> {
  const rows: NewToken[] = [];
  for (let start = 0; start < parsed.length; start += SEALS_PER_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const token of parsed.slice(start, start + SEALS_PER_SLICE)) {
      rows.push({
        upn: token.upn,
        secretSealed: kit.deps.keyring.seal(token.secret, totpSeedContext(token.upn)),
        digits: token.digits,
        period: token.period,
        algorithm: 'SHA1',
        source: 'hardware',
        serial: token.serial,
        manufacturer: token.manufacturer,
        model: token.model,
      });
    }
  }
  return rows;
}

function rejected(errors: OathCsvError[], fileLevel: boolean) {
  const message = fileLevel
    ? 'the file cannot be read as an OATH token CSV; nothing was imported'
    : `${errors.length} row(s) have errors; nothing was imported (add ?partial=true to import the good rows)`;
  return { imported: 0, errors, error: { code: 'invalid_rows', message } };
}
