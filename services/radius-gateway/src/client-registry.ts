import type { Logger } from '@tollgate/logging';
import { radiusClientSecretContext } from '@tollgate/contracts';
import type { Keyring } from '@tollgate/security';
import { radiusClients, type Queryable } from '@tollgate/store';
import { ClientTable, type RadiusClient } from './client-table.js';
import type { IpAddress } from './ip-address.js';

/**
 * The RADIUS clients held in memory with their opened secrets. The table is swapped whole on
 * reload, so a lookup never sees half a change; reloads that overlap collapse into one more
 * load after the current one, so a change made during a load is never missed.
 */
export interface ClientRegistryDeps {
  db: Queryable;
  keyring: Keyring;
  logger: Logger;
}

export class ClientRegistry {
  readonly #deps: ClientRegistryDeps;
  #table = new ClientTable([]);
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #loadedOnce = false;
  /** Lookups that found a client, and that found none (read by the metrics at scrape time). */
  hits = 0;
  misses = 0;

  constructor(deps: ClientRegistryDeps) {
    this.#deps = deps;
  }

  /** Loads the clients from the store; throws if the store fails (the previous table stays). */
  reload(): Promise<void> {
    if (this.#running) {
      this.#queued ??= this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined;
          return this.reload();
        });
      return this.#queued;
    }
    this.#running = this.#load().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #load(): Promise<void> {
    const { db, keyring, logger } = this.#deps;
    const records = await radiusClients.list(db);
    const clients: RadiusClient[] = [];
    for (const record of records) {
      let secret: Buffer;
      try {
        secret = Buffer.from(keyring.openText(record.secretSealed, radiusClientSecretContext(record.id)), 'utf8');
      } catch {
        logger.error(
          { clientId: record.id, client: record.name },
          'radius client secret does not open with this master key; client skipped',
        );
        continue;
      }
      if (secret.length === 0) {
        logger.error({ clientId: record.id, client: record.name }, 'radius client has an empty secret; client skipped');
        continue;
      }
      clients.push({
        id: record.id,
        name: record.name,
        address: record.address,
        secret,
        requireMessageAuthenticator: record.requireMessageAuthenticator,
        otpMode: record.otpMode,
        passwordSources: record.passwordSources,
        fallbackCodes: record.fallbackCodes,
      });
    }
    const table = new ClientTable(clients);
    for (const client of table.invalid) {
      logger.error(
        { clientId: client.id, client: client.name, address: client.address },
        'radius client address is not an IP or CIDR; client skipped',
      );
    }
    this.#table = table;
    this.#loadedOnce = true;
    logger.info({ clients: table.size, skipped: records.length - table.size }, 'radius clients loaded');
  }

  match(source: string | IpAddress): RadiusClient | undefined {
    const client = this.#table.match(source);
    if (client) this.hits++;
    else this.misses++;
    return client;
  }

  get size(): number {
    return this.#table.size;
  }

  get loaded(): boolean {
    return this.#loadedOnce;
  }
}
