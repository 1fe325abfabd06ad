// Which Chromium the harness (and our browser tests) drive through playwright-core: one a person chose
// (CHROMIUM_PATH), Debian's, or the one @sparticuz/chromium unpacks from the npm registry. Nothing here
// downloads a browser: the machines this runs on reach the npm registry and their package mirror only.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags for a closed network: without them Chromium keeps calling home and fails, many times a start. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * @sparticuz/chromium's own flags that would make a browser test prove nothing: with web security off, CORS
 * and mixed content are never enforced, so a page that AWS's CORS rules would block would pass here.
 */
const SECURITY_WEAKENING_FLAGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
]);

/**
 * Its Lambda-only flags (in one process, closing the last tab ends the whole browser), and its feature lists,
 * which would replace playwright's own `--disable-features` (Chromium keeps the last one), without which
 * playwright no longer intercepts a redirect's target.
 */
const isLambdaOnly = (flag: string): boolean =>
  flag === '--single-process' ||
  flag === '--no-zygote' ||
  flag.startsWith('--disable-features=') ||
  flag.startsWith('--enable-features=');

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for messages: `CHROMIUM_PATH`, `Debian's chromium`, `@sparticuz/chromium`. */
  source: string;
}

/** Finds a Chromium to launch, or explains how to get one. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, but there is no file there.`);
    return { executablePath: env.CHROMIUM_PATH, args: QUIET_FLAGS, source: 'CHROMIUM_PATH' };
  }
  if (fs.existsSync(DEBIAN_CHROMIUM))
    return { executablePath: DEBIAN_CHROMIUM, args: QUIET_FLAGS, source: "Debian's chromium" };
  const sparticuz = sparticuzChromium();
  const args = [
    ...new Set([...sparticuz.args.filter((a) => !SECURITY_WEAKENING_FLAGS.has(a) && !isLambdaOnly(a)), ...QUIET_FLAGS]),
  ];
  return { executablePath: sparticuz.executablePath, args, source: '@sparticuz/chromium' };
}

/** Launches headless Chromium (playwright adds the headless flag) with web security on. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const choice = await findChromium(env);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: choice.executablePath, args: choice.args, headless: true });
}

/**
 * Asks @sparticuz/chromium, in a child Node, where it unpacked its browser. It is an ES module only, which
 * neither our CommonJS build nor Jest's module loader can import in-process.
 */
function sparticuzChromium(): { executablePath: string; args: string[] } {
  const script =
    "import('@sparticuz/chromium').then(async ({ default: c }) => " +
    'process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args })))';
  try {
    return JSON.parse(
      execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ) as {
      executablePath: string;
      args: string[];
    };
  } catch {
    throw new Error(
      "No Chromium found: set CHROMIUM_PATH, install Debian's chromium (apt-get install chromium), or run `npm install --save-dev @sparticuz/chromium` in this project.",
    );
  }
}

/**
 * Watches a page for the hosted UI sending it to `redirectUri`, and returns a function that reads the callback
 * URL seen so far (query and fragment). The redirect is caught at the hosted UI's own response, so the browser
 * never loads the callback (an app that may not run here, or a host off this machine). Why not catch the
 * request to the callback: playwright does not intercept the target of a cross-host redirect with the npm
 * registry's Chromium. Requests to any origin other than the hosted UI's are refused.
 */
export async function catchRedirect(
  page: Page,
  hostedUiOrigin: string,
  redirectUri: string,
): Promise<() => URL | undefined> {
  let callback: URL | undefined;
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(redirectUri)) {
      callback ??= new URL(url);
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>signed in</p>' });
    }
    if (new URL(url).origin !== hostedUiOrigin) return route.abort('blockedbyclient');
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers()['location'];
    const target = location === undefined ? undefined : new URL(location, url);
    if (target?.toString().startsWith(redirectUri)) {
      callback = target;
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>signed in</p>' });
    }
    return route.fulfill({ response });
  });
  return () => callback;
}
