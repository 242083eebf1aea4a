import type { ServiceDefinition } from '@tollgate/runtime';
import { Aggregator } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';

export { Aggregator } from './aggregator.js';
export { decide } from './policy.js';
export { splitPassword } from './split-password.js';
export { aggregatorConfigShape } from './config.js';

export const aggregator: ServiceDefinition = {
  name: 'aggregator',
  async create(context) {
    return new Aggregator(context, loadAggregatorConfig(context.env));
  },
};
