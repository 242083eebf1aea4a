import { randomBytes } from 'node:crypto';
import { BusSeal } from '@tollgate/security';

/**
 * One bus key for every NatsBus a test process opens, as every service of one installation
 * derives the same key from its master key; a bus with another key cannot talk to them.
 */
export const TEST_BUS_SEAL = new BusSeal(randomBytes(32));
