// Model files read over HTTP: a missing file names its URL and why.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSourceJson } from '../src/runtime/files.js';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/spa/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>app</p>');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

it('a 404 says HTTP 404', async () => {
  await expect(readSourceJson(`${base}/models/missing`, 'config.json')).rejects.toThrow(/models\/missing\/config\.json: HTTP 404/);
});

it("a site's HTML page instead of the file says so, not 'not valid JSON'", async () => {
  await expect(readSourceJson(`${base}/spa/model`, 'config.json')).rejects.toThrow(/spa\/model\/config\.json: the server answered with an HTML page/);
});
