// Shared by the client-library tests: a page server on loopback for the browser apps, their bundles, the
// example documents with CORS turned on the way AWS documents it, users made through the admin API, the
// browser's console, and a proxy that strips CORS headers to prove the browser enforces them.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { parse as parseHtml } from 'node-html-parser';
import { parse, stringify } from 'yaml';
import type { Page } from 'playwright-core';
import type { StackOutputs } from '../../stack/outputs';

export interface TestUser {
  username: string;
  password: string;
}

export interface PageServer {
  /** Port on 127.0.0.1; pages may be addressed as 127.0.0.1 or localhost (two origins, one server). */
  port: number;
  /** Serves `file` at `path` from now on (e.g. settings known only once the stack is up). */
  put(path: string, file: [string, string]): void;
  stop(): Promise<void>;
}

/** Serves fixed files (path -> [content type, body]) on 127.0.0.1, as a static host serves an app. */
export async function startPageServer(served: Record<string, [string, string]>): Promise<PageServer> {
  const files = { ...served };
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://page').pathname];
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    put: (path, file) => void (files[path] = file),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An HTML page that loads the given scripts in order (a bundled app, and any settings file before it). */
export function appPage(...scripts: string[]): [string, string] {
  const tags = scripts.map((src) => `<script src="${src}"></script>`).join('');
  return [
    'text/html; charset=utf-8',
    `<!doctype html><html><head><meta charset="utf-8"><title>app</title>${tags}</head><body></body></html>`,
  ];
}

export const SCRIPT = 'text/javascript; charset=utf-8';

/** Bundles a browser app (one TypeScript entry and what it imports from npm) into one script, as a team's build does. */
export async function bundleApp(entry: string): Promise<string> {
  const built = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  });
  return built.outputFiles[0].text;
}

/** The request headers a page sends the APIs: the token, and the type of a JSON body. */
const ALLOWED_HEADERS = 'Authorization,Content-Type';

/** The keys of an OpenAPI path item that are operations (the rest are summary, parameters, servers ...). */
const OPERATION_KEYS = new Set([
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'x-amazon-apigateway-any-method',
]);

/**
 * A copy of `spec` (written to a temporary directory) that lets `origin` call it from a browser, as the API
 * Gateway developer guide says to enable CORS: an HTTP API gets `x-amazon-apigateway-cors`; on a REST API every
 * path whose methods are all mock integrations gets an OPTIONS method (a mock answering the preflight, no
 * authorizer) and its methods' integration responses the Access-Control-Allow-Origin header. The example
 * documents enable none: without this, a page on another origin cannot call them on AWS either.
 */
export function withCorsFor(spec: string, origin: string): { file: string; remove(): void } {
  const doc = parse(fs.readFileSync(spec, 'utf8')) as Record<string, unknown>;
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined) {
    doc['x-amazon-apigateway-cors'] = {
      allowOrigins: [origin],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ALLOWED_HEADERS.split(','),
      maxAge: 300,
    };
  } else {
    const originValue = `'${origin}'`;
    for (const item of Object.values(paths)) {
      const operations = Object.entries(item).filter(([key]) => OPERATION_KEYS.has(key));
      const mocks = operations.filter(([, op]) => integrationOf(op)?.type === 'mock');
      if (mocks.length === 0 || mocks.length !== operations.length || item.options) continue;
      for (const [, op] of mocks) {
        for (const response of Object.values(integrationOf(op)!.responses as Record<string, Record<string, unknown>>))
          response.responseParameters = {
            ...(response.responseParameters as object),
            'method.response.header.Access-Control-Allow-Origin': originValue,
          };
        for (const response of Object.values(op.responses as Record<string, Record<string, unknown>>))
          response.headers = {
            ...(response.headers as object),
            'Access-Control-Allow-Origin': { schema: { type: 'string' } },
          };
      }
      item.options = preflightOperation(
        originValue,
        mocks.map(([method]) => method.toUpperCase()),
      );
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-clients-'));
  const file = path.join(dir, path.basename(spec));
  fs.writeFileSync(file, stringify(doc));
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function integrationOf(op: Record<string, unknown>): Record<string, unknown> | undefined {
  return op['x-amazon-apigateway-integration'] as Record<string, unknown> | undefined;
}

/** The OPTIONS method the API Gateway console's "Enable CORS" adds to a REST resource. */
function preflightOperation(originValue: string, methods: string[]): Record<string, unknown> {
  const header = { schema: { type: 'string' } };
  return {
    summary: 'CORS preflight',
    security: [],
    responses: {
      '200': {
        description: 'CORS preflight',
        headers: {
          'Access-Control-Allow-Origin': header,
          'Access-Control-Allow-Methods': header,
          'Access-Control-Allow-Headers': header,
        },
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      responses: {
        default: {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Origin': originValue,
            'method.response.header.Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].join(',')}'`,
            'method.response.header.Access-Control-Allow-Headers': `'${ALLOWED_HEADERS}'`,
          },
        },
      },
      passthroughBehavior: 'when_no_match',
    },
  };
}

/** A confirmed user with a permanent password, made as an administrator makes one. */
export async function createUser(outputs: StackOutputs, user: TestUser): Promise<void> {
  const sdk = new CognitoIdentityProviderClient({
    endpoint: outputs.cognito_endpoint,
    region: outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: outputs.user_pool_id,
        Username: user.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.username },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: outputs.user_pool_id,
        Username: user.username,
        Password: user.password,
        Permanent: true,
      }),
    );
  } finally {
    sdk.destroy();
  }
}

/** Every message the page's console shows (the browser's own CORS errors among them), as they come. */
export function consoleOf(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  return lines;
}

/** Chromium's words for a reply the page may not read: "... has been blocked by CORS policy: ...". */
export const CORS_ERROR = /blocked by CORS policy/;

export interface CorsStrippingProxy {
  url: string;
  /** Requests it forwarded, preflights included (`OPTIONS /`, `POST /`). */
  seen: string[];
  stop(): Promise<void>;
}

/**
 * A reverse proxy in front of `target` that passes everything through but drops every Access-Control-*
 * header from the replies: an endpoint without CORS, as a misconfigured or non-Cognito server would be.
 */
export async function startCorsStrippingProxy(target: string): Promise<CorsStrippingProxy> {
  const seen: string[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (reply) => {
        const headers = Object.fromEntries(
          Object.entries(reply.headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
        );
        res.writeHead(reply.statusCode ?? 502, headers);
        reply.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Plays the person at the hosted UI over plain HTTP, as contract-tests/hosted-ui.ts does: follows the
 * authorize redirects to the sign-in form (keeping its cookies), submits it, and returns the URL the hosted
 * UI sends the browser back to (the callback, with code and state), which nobody has to serve.
 */
export async function signInOverHttp(authorizationUrl: string, user: TestUser, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  };
  /** Follows redirects from `response` until the callback (returned) or a page (its URL and HTML). */
  const follow = async (url: string, response: Response): Promise<string | { url: string; html: string }> => {
    for (let hop = 0; hop < 8; hop++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        if (response.status !== 200) throw new Error(`the hosted UI answered ${response.status} at ${url}`);
        return { url, html: await response.text() };
      }
      url = new URL(location, url).toString();
      if (url.startsWith(redirectUri)) return url;
      response = await send(url);
    }
    throw new Error('the hosted UI redirected too many times');
  };
  const page = await follow(authorizationUrl, await send(authorizationUrl));
  if (typeof page === 'string') return page;
  const form = parseHtml(page.html)
    .querySelectorAll('form')
    .find((f) => f.querySelector('input[name="password"]'));
  if (!form) throw new Error(`no sign-in form at ${page.url}`);
  const fields = new URLSearchParams();
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    if (name === 'username') fields.set(name, user.username);
    else if (name === 'password') fields.set(name, user.password);
    else if (name && input.getAttribute('type') === 'hidden') fields.set(name, input.getAttribute('value') ?? '');
  }
  const action = new URL(form.getAttribute('action') ?? page.url, page.url).toString();
  const posted = await send(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const reached = await follow(action, posted);
  if (typeof reached !== 'string') throw new Error(`signing in at ${reached.url} did not reach the callback`);
  return reached;
}
