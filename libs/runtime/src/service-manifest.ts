/**
 * What a service declares about itself, in one object its package exports: the launcher derives
 * the start and stop order from `dependsOn`, the banner from `listens`, and the scripts that list
 * services (validate-deploy, bench, the README's configuration table) read the same objects, so a
 * new service is a package with its manifest (and its deployment files), not nine edits.
 */
import type { z } from 'zod';
import type { SubjectName } from '@tollgate/contracts';
import type { Component, ServiceContext } from './component.js';

/**
 * The shared connections a service uses (a process opens bus, database and state whatever it runs);
 * `syslog` is the optional audit sink, so the SYSLOG_* keys are documented as read by these services.
 */
export type Backend = 'bus' | 'database' | 'state' | 'syslog';

/** A socket the service listens on, as the banner shows it and the deployment files expose it. */
export interface ListenerSpec {
  /** Key of this listener in the component's `listening()` answer. */
  readonly name: string;
  /** What the banner calls it. */
  readonly label: string;
  readonly protocol: 'udp' | 'http';
  /** The configuration keys of its address and port (both in the service's `config`). */
  readonly bindKey: string;
  readonly portKey: string;
  /** http: the path the banner shows after the address. */
  readonly path?: string;
  /** udp: what the socket answers, in the banner's parentheses. */
  readonly note?: string;
}

/** Subjects (libs/contracts) the service answers, asks, and sends or hears as events. */
export interface BusEndpoints {
  readonly serves: readonly SubjectName[];
  readonly requests: readonly SubjectName[];
  readonly publishes: readonly SubjectName[];
  readonly subscribes: readonly SubjectName[];
}

export interface ServiceManifest {
  /** The target name of `tollgate run`. */
  readonly name: string;
  /** One line: what it does. */
  readonly description: string;
  /**
   * Services that must be running (in this process, or elsewhere on the bus) before this one takes
   * work: it starts after them and stops before them. Every subject it requests must be served by one.
   */
  readonly dependsOn: readonly string[];
  readonly backends: readonly Backend[];
  /**
   * The key it needs: `master-key` (the default) for a service that opens secrets at rest or the
   * RADIUS path's messages; `portal-key` for one that must hold only the key derived for the portal's
   * bus subjects. A process whose services all say `portal-key` gets no master key and no database:
   * it reads `PORTAL_BUS_KEY` (with the master key in the same process, that key is derived from it).
   */
  readonly secrets?: 'master-key' | 'portal-key';
  /** Its environment variables (loadConfig's shape; every key described, see libs/config `describeKey`). */
  readonly config: z.ZodRawShape;
  readonly listens: readonly ListenerSpec[];
  /** Names of the Prometheus metrics it registers. */
  readonly metrics: readonly string[];
  readonly bus: BusEndpoints;
  /** Validates its configuration (throwing a ConfigError) and builds the component. */
  create(context: ServiceContext): Promise<Component>;
}
