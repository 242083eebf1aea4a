import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { PublicRouteInfo, RouteInfo } from './api-routes.js';
import { jsonSchemaOf, openApiDocument, openApiPath, pathParameterNames } from './openapi-document.js';

test('path templates: express parameters become OpenAPI ones', () => {
  const table: [string, string, string[]][] = [
    ['/api/v1/users', '/api/v1/users', []],
    ['/api/v1/users/:username', '/api/v1/users/{username}', ['username']],
    ['/api/v1/users/:username/totp', '/api/v1/users/{username}/totp', ['username']],
    ['/api/v1/groups/:id/members/:username', '/api/v1/groups/{id}/members/{username}', ['id', 'username']],
  ];
  for (const [express, openApi, names] of table) {
    assert.equal(openApiPath(express), openApi, express);
    assert.deepEqual(pathParameterNames(express), names, express);
  }
});

test('a zod schema becomes its input JSON Schema, without a $schema of its own', () => {
  const schema = jsonSchemaOf(z.strictObject({ n: z.number().int().min(1).max(9).default(3), s: z.string().transform((v) => v.length) }));
  assert.equal(schema.$schema, undefined);
  assert.deepEqual(schema, {
    type: 'object',
    properties: { n: { type: 'integer', minimum: 1, maximum: 9, default: 3 }, s: { type: 'string' } },
    required: ['s'],
    additionalProperties: false,
  });
});

test('operations: parameters, bodies, answers, security and permission from what the routes declare', () => {
  const routes: RouteInfo[] = [
    {
      method: 'patch',
      path: '/api/v1/things/:id',
      permission: 'admin',
      body: 'json',
      doc: { summary: 'Change a thing', request: z.strictObject({ name: z.string() }), responses: { 409: 'Taken' } },
    },
    {
      method: 'get',
      path: '/api/v1/things',
      permission: 'users.read',
      body: 'none',
      doc: { summary: 'Things', query: z.strictObject({ limit: z.coerce.number().int().optional() }) },
    },
    { method: 'post', path: '/api/v1/things/import', permission: 'admin', body: 'csv', doc: { summary: 'Import', status: 201 } },
  ];
  const open: PublicRouteInfo[] = [{ method: 'post', path: '/api/v1/session', body: 'json', doc: { summary: 'Sign in' } }];
  // biome-ignore lint/suspicious/noExplicitAny: the built document, read by path
  const doc = openApiDocument(routes, open, { version: '1.0.0' }) as any;
  const patch = doc.paths['/api/v1/things/{id}'].patch;
  assert.deepEqual(patch.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  assert.deepEqual(patch.requestBody.content['application/json'].schema.required, ['name']);
  assert.deepEqual(Object.keys(patch.responses).sort(), ['200', '400', '401', '403', '404', '409', '413', '415', '429', '500']);
  assert.deepEqual(patch.security, [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }]);
  assert.equal(patch['x-tollgate-permission'], 'admin');
  assert.deepEqual(patch['x-tollgate-roles'], ['admin']);
  const list = doc.paths['/api/v1/things'].get;
  assert.deepEqual(list.parameters, [
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 } },
  ]);
  assert.deepEqual(list.security, [{ bearerToken: [] }, { sessionCookie: [] }], 'a read needs no CSRF token');
  assert.equal(list.requestBody, undefined);
  assert.deepEqual(list['x-tollgate-roles'], ['admin', 'helpdesk', 'auditor']);
  const csv = doc.paths['/api/v1/things/import'].post;
  assert.deepEqual(Object.keys(csv.requestBody.content), ['text/csv', 'application/csv']);
  assert.ok(csv.responses['201'] && !csv.responses['200']);
  const signIn = doc.paths['/api/v1/session'].post;
  assert.deepEqual(signIn.security, []);
  assert.equal(signIn.responses['401'], undefined, 'no credentials, so no 401 for them');
  assert.equal(signIn['x-tollgate-permission'], undefined);
});
