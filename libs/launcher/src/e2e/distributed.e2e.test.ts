import { defineScenarios } from './scenarios.js';
import { startDistributedStack } from './distributed-stack.js';

// Each service in its own process, on the real NATS, PostgreSQL and Redis, with a second
// radius-gateway replica for the follow-ups of Access-Challenges.
defineScenarios(() => startDistributedStack({ secondGateway: true }));
