// A Vite dev server on test/fixture and headless Chromium at /usr/bin/chromium, one page open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { chromium, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** Opens `fixture/<html>` and waits for `window[global]`; `close` ends browser and server. */
export async function openFixture(html: string, global: string): Promise<{ page: Page; close(): Promise<void> }> {
  const server = await createServer({
    root: join(here, 'fixture'), configFile: false, logLevel: 'error',
    // No watcher, no HMR socket: another edit to a source file in the graph must not reload the page mid-test.
    resolve: { conditions: ['source'] }, server: { port: 0, hmr: false, ws: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const profile = mkdtempSync(join(tmpdir(), 'nextedit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`http://localhost:${port}/${html}`);
  await page.waitForFunction((g) => (window as any)[g] !== undefined, global, { timeout: 60_000 });
  return {
    page,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
