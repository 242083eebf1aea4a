import { defineScenarios } from './scenarios.js';
import { startEmbeddedStack } from './embedded-stack.js';

// The one-box install: one process, no NATS, PostgreSQL or Redis, everything it needs created on first start.
defineScenarios(() => startEmbeddedStack());
