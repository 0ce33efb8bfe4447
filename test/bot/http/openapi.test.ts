/**
 * `GET /api/openapi.json` (OpenAPI 3.1 generated from the zod schemas: every route, body and
 * response, every reference resolving), `GET /api/config`, and the web build served at `/`.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { harness, tempFolder } from './support.js';

type Json = Record<string, unknown>;

const ROUTES: Record<string, string[]> = {
  '/api/check': ['post'],
  '/api/sessions': ['post'],
  '/api/sessions/{id}': ['get', 'delete'],
  '/api/sessions/{id}/messages': ['post'],
  '/api/sessions/{id}/summary': ['get'],
  '/api/sessions/{id}/debug': ['get'],
  '/api/openapi.json': ['get'],
  '/api/config': ['get'],
};

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refs(v)));
}

describe('GET /api/openapi.json', () => {
  test('valid JSON, OpenAPI 3.1, every route with its bodies and responses', async () => {
    const h = harness();
    const res = await h.call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = JSON.parse(await res.text()) as Json & { paths: Record<string, Record<string, Json>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(ROUTES).sort());
    for (const [path, methods] of Object.entries(ROUTES))
      for (const method of methods) {
        const operation = doc.paths[path]?.[method] as Json & { responses: Json };
        expect([path, method, typeof operation?.operationId]).toEqual([path, method, 'string']);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        if (method === 'post') expect(operation.requestBody).toBeTruthy();
      }
    // Public routes say so; the others need a key.
    expect(doc.paths['/api/config']?.get?.security).toEqual([]);
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  test('every reference resolves, and the schemas are the contract’s', async () => {
    const h = harness();
    const doc = (await (await h.call('GET', '/api/openapi.json')).json()) as Json & {
      components: {
        schemas: Record<string, Json & { properties?: Record<string, Json>; required?: string[] }>;
      };
    };
    const { schemas } = doc.components;
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.replace('#/components/schemas/', '')]).toBeDefined();
    }
    for (const s of Object.values(schemas)) {
      expect(s.$schema).toBeUndefined();
      expect(s.$id).toBeUndefined();
    }
    // The profile as input: only what the contract requires is required; unknown keys rejected.
    expect(schemas.Profile?.required).toEqual(['birthDate', 'education']);
    expect(schemas.Profile?.additionalProperties).toBe(false);
    expect(Object.keys(schemas.Profile?.properties ?? {})).toContain('socialInsuranceMonths');
    expect(schemas.Decision?.required).toEqual(
      expect.arrayContaining(['policy', 'asOf', 'verdict', 'route', 'routes', 'settlement', 'steps']),
    );
    expect(schemas.View?.properties?.decision).toMatchObject({ $ref: '#/components/schemas/Decision' });
    expect(schemas.MessageBody?.anyOf).toHaveLength(3);
    expect(schemas.TextMessage?.properties?.text).toMatchObject({ minLength: 1, maxLength: 4096 });
  });
});

describe('GET /api/config', () => {
  test('the agency, the languages, staff mode; no secrets', async () => {
    const brand = { name: '鹏城人才服务', contact: '0755-1234 5678' };
    const h = harness({ brand });
    const res = await h.call('GET', '/api/config');
    expect(await res.json()).toEqual({ brand, languages: ['zh-CN', 'en'], staff: true });
  });
});

describe('the web build at /', () => {
  const folder = tempFolder('luohu-web-');
  afterAll(folder.remove);
  const web = join(folder.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Luohu</title>');
  writeFileSync(join(web, 'widget.js'), 'console.log("widget")');
  writeFileSync(join(web, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(join(web, '.env'), 'SECRET=1');
  writeFileSync(join(folder.dir, 'outside.txt'), 'outside');
  symlinkSync(join(folder.dir, 'outside.txt'), join(web, 'link.txt'));

  test('index.html at /, widget.js and assets with their content types', async () => {
    const h = harness({ webRoot: web });
    const index = await h.call('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Luohu</title>');
    expect((await h.call('GET', '/index.html')).status).toBe(200);
    const widget = await h.call('GET', '/widget.js');
    expect(widget.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(widget.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await widget.text()).toBe('console.log("widget")');
    const css = await h.call('GET', '/assets/app-1a2b.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('immutable');
    const head = await h.call('HEAD', '/widget.js');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('no directory listing, no hidden files, nothing outside the folder', async () => {
    const h = harness({ webRoot: web });
    for (const path of [
      '/assets',
      '/assets/',
      '/.env',
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/link.txt',
      '/missing.js',
      '/%E0%A4%A',
    ]) {
      const res = await h.call('GET', path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).not.toMatch(/outside|SECRET/);
    }
  });

  test('without the folder, / is not found; /api is never a file', async () => {
    const h = harness({ webRoot: join(folder.dir, 'absent') });
    expect((await h.call('GET', '/')).status).toBe(404);
    const withWeb = harness({ webRoot: web });
    const api = await withWeb.call('GET', '/api/index.html');
    expect(await api.json()).toEqual({ error: 'not-found' });
  });
});
