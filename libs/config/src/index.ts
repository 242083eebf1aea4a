import { z } from 'zod';
import { TollgateError } from '@tollgate/contracts';

/**
 * Typed configuration over environment variables. Each component declares one zod object
 * whose keys are the variable names; `loadConfig` parses `env` against it and, on the first
 * bad value, throws a ConfigError naming the component and the key.
 */
export class ConfigError extends TollgateError<'config_invalid'> {
  readonly component: string;
  readonly key: string;
  constructor(component: string, key: string, problem: string) {
    super('config_invalid', `${component}: configuration ${key} ${problem}`);
    this.component = component;
    this.key = key;
  }
}

export function loadConfig<S extends z.ZodRawShape>(
  component: string,
  shape: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '?');
    // Never echo the value: it may be a secret.
    throw new ConfigError(component, key, issue.message.replace(/^Invalid input: /, 'is invalid: '));
  }
  return result.data;
}

/** Helpers for the common shapes of environment variables. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
  url: (protocols: string[]) =>
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a URL with scheme ${protocols.join(' or ')}` },
    ),
  optionalUrl: (protocols: string[]) => env.url(protocols).optional(),
  string: (fallback: string) => z.string().default(fallback),
};

export { describeKey, keyDoc, shownDefault, type KeyDoc } from './describe-key.js';
export { configRows, formatConfigTable, ConfigTableError, type ConfigRow, type ConfigSource } from './config-table.js';
