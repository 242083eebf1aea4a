import { randomFillSync } from 'node:crypto';

/**
 * Request ids for logs and the auth log: 6 random bytes as 8 base64url characters, as before,
 * but drawn from a block of random bytes filled once per `batch` ids rather than one call into
 * the CSPRNG per datagram. Unique enough to correlate lines across replicas; not a secret.
 */
const ID_BYTES = 6;

export function createRequestIds(batch = 512): () => string {
  const block = Buffer.alloc(ID_BYTES * Math.max(1, batch));
  let offset = block.length;
  return () => {
    if (offset >= block.length) {
      randomFillSync(block);
      offset = 0;
    }
    const id = block.toString('base64url', offset, offset + ID_BYTES);
    offset += ID_BYTES;
    return id;
  };
}
