import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { testConfig } from '@maatlat/shared/testing';
import { serveWebApplication } from './web-application';

describe('the web application beside the API', () => {
  let root: string;
  const server = express();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'maatlat-web-root-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Maatlat</title>');
    expect(serveWebApplication(server, testConfig({}), root)).toBe(true);
    server.use((_request, response) => void response.status(404).type('application/problem+json').send({ status: 404 }));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a page a browser navigates to (an invitation link) gets the application', async () => {
    const page = await request(server).get('/vragenlijst/abc').set('Accept', 'text/html,application/xhtml+xml');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Maatlat</title>');
  });

  it.each(['/v1/assessments', '/open-data/', '/open-data/results.csv', '/.well-known/maatlat-keys', '/health', '/api'])('%s stays the API\'s, even for a browser', async (path) => {
    const response = await request(server).get(path).set('Accept', 'text/html,application/xhtml+xml');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
