// The OpenAPI document must describe every /api route the app actually serves. The list of routes comes from
// the app itself (app.routes), so a route added without createRoute fails here instead of going undocumented.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { Sql } from './db/database.ts';
import { ServerEvents } from './events.ts';
import { testConfig } from './test/fixtures.ts';

type Operation = {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
};
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

// The document is built without touching the database; any query would be a bug in this test.
const noDatabase = (() => {
  throw new Error('the OpenAPI test must not query the database');
}) as unknown as Sql;

function buildApp() {
  return createApp({ config: testConfig(), sql: noDatabase, logger: pino({ level: 'silent' }), events: new ServerEvents() });
}

/** "METHOD /path/{param}" for every concrete API route (middleware and catch-alls are registered as ALL or with *). */
function servedRoutes(app: ReturnType<typeof buildApp>): string[] {
  const routes = app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*') && r.path !== '/api/openapi.json')
    .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(doc: OpenApiDoc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

async function fetchDoc(app: ReturnType<typeof buildApp>): Promise<OpenApiDoc> {
  const res = await app.request('/api/openapi.json');
  const text = await res.text();
  expect(res.status, `GET /api/openapi.json failed: ${text.slice(0, 300)}`).toBe(200);
  return JSON.parse(text) as OpenApiDoc;
}

describe('GET /api/openapi.json', () => {
  it('documents every /api route the app serves, and nothing it does not serve', async () => {
    const app = buildApp();
    const doc = await fetchDoc(app);
    expect(doc.openapi).toBe('3.1.0');
    const served = servedRoutes(app);
    // Sanity: the route list really comes from the app (these must be in it).
    expect(served).toEqual(expect.arrayContaining(['GET /api/projects', 'DELETE /api/projects/{id}/members/{userId}']));
    expect(served.filter((r) => !documentedRoutes(doc).includes(r)), 'served but undocumented').toEqual([]);
    expect(documentedRoutes(doc).filter((r) => !served.includes(r)), 'documented but not served').toEqual([]);
  });

  it('catches a route added without createRoute', async () => {
    const app = buildApp();
    app.get('/api/zz-undocumented/:thing', (c) => c.json({ ok: true }));
    const doc = await fetchDoc(app);
    expect(servedRoutes(app).filter((r) => !documentedRoutes(doc).includes(r))).toEqual(['GET /api/zz-undocumented/{thing}']);
  });

  it('gives every operation a success response, and every secured one bearer auth and a 401', async () => {
    const doc = await fetchDoc(buildApp());
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${where} has no 2xx response`).toBe(true);
        if (op.security) {
          // An empty requirement ({}) marks auth as optional (e.g. logout by cookie); every named scheme must exist.
          expect(op.security, where).toContainEqual({ bearerAuth: [] });
          for (const requirement of op.security) {
            for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes[scheme], `${where}: ${scheme}`).toBeDefined();
          }
          expect(op.responses['401'], `${where} does not document 401`).toBeDefined();
        }
      }
    }
  });

  it('describes the project and member routes with their inputs, schemas and bearer security', async () => {
    const doc = await fetchDoc(buildApp());
    const projectOps = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/projects') && !/\/(tasks|tags|activity)$/.test(path))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ where: `${method} ${path}`, op })));
    expect(projectOps.map((o) => o.where).sort()).toEqual([
      'delete /api/projects/{id}',
      'delete /api/projects/{id}/members/{userId}',
      'get /api/projects',
      'get /api/projects/{id}',
      'get /api/projects/{id}/members',
      'patch /api/projects/{id}',
      'patch /api/projects/{id}/members/{userId}',
      'post /api/projects',
      'post /api/projects/{id}/members',
      'put /api/projects/{id}',
    ]);
    for (const { where, op } of projectOps) expect(op.security, where).toEqual([{ bearerAuth: [] }]);

    const list = doc.paths['/api/projects']!.get!;
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:page', 'query:per_page', 'query:search', 'query:sort', 'query:status']);
    const create = doc.paths['/api/projects']!.post!;
    expect(create.requestBody?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/CreateProject' });
    expect(Object.keys(create.responses).sort()).toEqual(['200', '201', '400', '401', '409']);
    expect(doc.paths['/api/projects/{id}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    expect(doc.paths['/api/projects/{id}/members/{userId}']!.patch!.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/UpdateMember',
    });
    for (const name of ['Project', 'ProjectDetail', 'ProjectMember', 'CreateProject', 'UpdateProject', 'AddMember', 'UpdateMember', 'ErrorEnvelope', 'Pagination']) {
      expect(doc.components.schemas[name], `component ${name}`).toBeDefined();
    }
    expect(doc.components.schemas.CreateProject).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, color: expect.anything() },
    });
  });
});
