// The Chromium our browser checks drive enforces CORS, whichever one is found (Debian's or the npm
// registry's): otherwise a browser test of CORS headers would pass against a server that sends none.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { findChromium, launchChromium } from './browser';

function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

let browser: Browser;
let page: Awaited<ReturnType<typeof serve>>;
let api: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  page = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>app</p>'));
  api = await serve((req, res) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.url === '/with-cors') headers['access-control-allow-origin'] = '*';
    res.writeHead(200, headers).end('{"ok":true}');
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await api?.close();
});

async function fetchFromPage(path: string): Promise<string> {
  const tab = await browser.newPage();
  try {
    await tab.goto(page.url);
    return await tab.evaluate(async (url) => {
      try {
        const response = await fetch(url);
        return `status ${response.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    }, `${api.url}${path}`);
  } finally {
    await tab.close();
  }
}

test('a cross-origin fetch without Access-Control-Allow-Origin is blocked', async () => {
  expect(await fetchFromPage('/without-cors')).toBe('blocked: TypeError');
});

test('the same fetch with Access-Control-Allow-Origin: * goes through', async () => {
  expect(await fetchFromPage('/with-cors')).toBe('status 200');
});

test('the flags that switch web security off are never passed', async () => {
  const { args } = await findChromium();
  expect(args).not.toContain('--disable-web-security');
  expect(args).not.toContain('--allow-running-insecure-content');
});

test('a CHROMIUM_PATH that names no file is refused with the path', async () => {
  await expect(findChromium({ CHROMIUM_PATH: '/nowhere/chromium' })).rejects.toThrow(
    'CHROMIUM_PATH is /nowhere/chromium, but there is no file there.',
  );
});
