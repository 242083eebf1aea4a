/**
 * The OpenAPI document at GET /api/v1/openapi.json and the routes agree: every method and path the
 * app answers under /api/ (read from Express's own router, so a route mounted around `routes.add` is seen too)
 * is described and nothing else is; each describes itself (summary, path parameters, request body
 * and its schema); the document validates as OpenAPI 3.1; and requests built from the documented
 * schemas are accepted while ones that break them are refused with 400 naming the field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiPath, pathParameterNames } from './openapi-document.js';
import { startHarness, type Harness } from './testing/admin-api-harness.js';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: unknown;
  anyOf?: Schema[];
  items?: Schema;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
};
// biome-ignore lint/suspicious/noExplicitAny: the parsed document, read by path; the assertions check its shape
type Doc = any;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Values for fields whose rule (a pattern, a refinement) a least-value sample does not meet. */
const REFINED: Record<string, unknown> = {
  username: 'sample@contoso.com',
  name: 'sample-name',
  password: 'a sample password long enough',
  address: '192.0.2.1',
  tenantId: 'organizations',
  clientId: '00001111-aaaa-2222-bbbb-3333cccc4444',
  domain: 'contoso.com',
  secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  urls: ['ldaps://dc1.corp.example:636'],
  baseDn: 'dc=corp,dc=example',
  userFilter: '(uid={local})',
  publicUrl: 'https://enrol.contoso.com',
};

/** The least value a schema allows, for the schemas of this API (objects get their required fields only). */
function sampleOf(schema: Schema, overrides: Record<string, unknown> = {}): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sampleOf(schema.anyOf[0]!, overrides);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'string':
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sampleOf(schema.items!, overrides));
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [name, name in overrides ? overrides[name] : sampleOf(schema.properties![name]!, overrides)]),
      );
    default:
      throw new Error(`no sample for schema ${JSON.stringify(schema)}`);
  }
}

describe('admin API: the OpenAPI document and the routes agree', () => {
  let h: Harness;
  let doc: Doc;

  before(async () => {
    h = await startHarness('adm_openapi');
    const res = await h.call('GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200, res.text);
    doc = res.body;
  });
  after(() => h.close());

  test('it validates as an OpenAPI 3.1 document', async () => {
    assert.match(doc.openapi, /^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
    assert.equal(validator.version, '3.1');
  });

  test('every route the app answers is described, and nothing else', () => {
    // The API is what lies under /api/; pages the app may serve elsewhere are not part of it.
    const mounted = h.component.mounted
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`)
      .sort();
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    assert.ok(mounted.length >= 38, `the router was read (${mounted.length} routes)`);
    assert.deepEqual(
      mounted.filter((r) => !described.includes(r)),
      [],
      'routes without a description: give routes.add a summary (and schemas), or routes.describePublic for a route without credentials',
    );
    assert.deepEqual(
      described.filter((r) => !mounted.includes(r)),
      [],
      'described routes the app does not answer',
    );
    assert.ok(described.includes('POST /api/v1/session'), 'sign-in, mounted outside routes.add, is described');
  });

  test('each route describes itself: summary, path parameters, request body and its schema, permission', () => {
    const missing: string[] = [];
    for (const route of [...h.component.routes, ...h.component.publicRoutes]) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      const op = doc.paths[openApiPath(route.path)]?.[route.method];
      assert.ok(op, key);
      if (!route.doc.summary) missing.push(`${key}: no summary`);
      if (route.body === 'json' && !route.doc.request) missing.push(`${key}: takes a JSON body but declares no request schema`);
      const names = pathParameterNames(route.path);
      const declared = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
      assert.deepEqual(declared, names, `${key}: path parameters`);
      assert.equal(op.requestBody !== undefined, route.body !== 'none', `${key}: request body described when one is read`);
      assert.ok(
        Object.keys(op.responses).some((code) => /^2/.test(code)),
        `${key}: a success answer`,
      );
      assert.ok(op.responses['500'], `${key}: the error answer`);
      if ('permission' in route) {
        assert.equal(op['x-tollgate-permission'], route.permission, key);
        assert.ok(op.security.length > 0 && op.responses['401'] && op.responses['403'], `${key}: credentials and refusals`);
      } else {
        assert.deepEqual(op.security, [], `${key}: no credentials`);
      }
    }
    assert.deepEqual(missing, [], 'routes that must describe themselves in their routes.add options');
  });

  test('the bodies, queries, security schemes and error shape are spelt out', () => {
    const put = doc.paths['/api/v1/settings/retention'].put;
    const body = put.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['authEventDays']);
    assert.equal(body.additionalProperties, false);
    assert.deepEqual([body.properties.authEventDays.minimum, body.properties.authEventDays.maximum], [1, 3650]);
    const limit = doc.paths['/api/v1/users'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    assert.deepEqual({ in: limit.in, required: limit.required, max: limit.schema.maximum }, { in: 'query', required: false, max: 1000 });
    assert.deepEqual(Object.keys(doc.paths['/api/v1/tokens/import'].post.requestBody.content), ['text/csv', 'application/csv']);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearerToken', 'csrfToken', 'sessionCookie']);
    assert.deepEqual(put.security, [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }], 'a cookie change needs the CSRF token');
    assert.deepEqual(doc.paths['/api/v1/users'].get['x-tollgate-roles'], ['admin', 'helpdesk', 'auditor']);
    assert.deepEqual(doc.paths['/api/v1/users/{username}/totp'].put.responses['404'].content['application/json'].schema, {
      $ref: '#/components/schemas/Error',
    });
    assert.deepEqual(doc.components.schemas.Error.required, ['error']);
  });

  describe('requests built from the documented schemas', () => {
    /** Routes, the values a refinement the schema cannot carry needs, and a field to break. */
    const cases: { method: string; path: string; overrides?: Record<string, unknown>; tooBig?: string }[] = [
      { method: 'put', path: '/api/v1/settings/retention', tooBig: 'authEventDays' },
      { method: 'put', path: '/api/v1/settings/policy', tooBig: 'otpMaxFailures' },
      { method: 'post', path: '/api/v1/users', overrides: { username: 'sample@contoso.com' } },
      { method: 'post', path: '/api/v1/api-tokens', overrides: { name: 'sample-token' } },
    ];
    const schemaOf = (method: string, path: string): Schema => doc.paths[path][method].requestBody.content['application/json'].schema;

    test('a body made from the schema is accepted', async () => {
      for (const { method, path, overrides } of cases) {
        const body = sampleOf(schemaOf(method, path), overrides);
        const res = await h.call(method.toUpperCase(), path, { body });
        const documented = Object.keys(doc.paths[path][method].responses).filter((code) => /^2/.test(code));
        assert.deepEqual([String(res.status)], documented, `${method} ${path} ${JSON.stringify(body)} -> ${res.text}`);
      }
    });

    test('a body that breaks the schema is refused with 400 naming the field', async () => {
      for (const { method, path, overrides, tooBig } of cases) {
        const schema = schemaOf(method, path);
        const valid = sampleOf(schema, overrides) as Record<string, unknown>;
        const label = `${method} ${path}`;
        const unknown = await h.call(method.toUpperCase(), path, { body: { ...valid, notInTheSchema: 1 } });
        assert.equal(schema.additionalProperties, false, label);
        assert.equal(unknown.status, 400, `${label} unknown field: ${unknown.text}`);
        assert.equal(unknown.body.error.field, 'notInTheSchema', label);
        const [first] = schema.required ?? [];
        assert.ok(first, `${label} has a required field`);
        const { [first]: _dropped, ...without } = valid;
        const missing = await h.call(method.toUpperCase(), path, { body: without });
        assert.equal(missing.status, 400, `${label} without ${first}: ${missing.text}`);
        assert.equal(missing.body.error.field, first, label);
        if (tooBig) {
          const over = await h.call(method.toUpperCase(), path, { body: { ...valid, [tooBig]: schema.properties![tooBig]!.maximum! + 1 } });
          assert.equal(over.status, 400, `${label} ${tooBig} over its maximum`);
          assert.equal(over.body.error.field, tooBig, label);
        }
        const wrongType = await h.call(method.toUpperCase(), path, { body: { ...valid, [first]: [] } });
        assert.equal(wrongType.status, 400, `${label} ${first} of the wrong type`);
      }
    });

    test('every route with a strict JSON body refuses a field its schema does not name', async () => {
      const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'nobody@contoso.com');
      const checked: string[] = [];
      for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
        for (const method of METHODS) {
          const schema = item[method]?.requestBody?.content?.['application/json']?.schema as Schema | undefined;
          if (schema?.additionalProperties !== false) continue;
          // Every required field present (zod reports a missing one first), plus one the schema does not name.
          const body = { ...(sampleOf(schema, REFINED) as object), notInTheSchema: 1 };
          const res = await h.call(method.toUpperCase(), concrete(path), { body });
          assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
          assert.equal(res.body.error.field, 'notInTheSchema', `${method} ${path}: ${res.text}`);
          checked.push(`${method} ${path}`);
        }
      }
      assert.ok(checked.length >= 15, `strict bodies checked: ${checked.join(', ')}`);
    });
  });
});
