// The API's custom domain on the local stack: a second listener on the loopback address that serves the
// stage under the domain's base path, as API Gateway's base path mapping (REST) or API mapping (HTTP API)
// does, and the execute-api endpoint's refusal when disableExecuteApiEndpoint turns it off.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CustomDomainOptions {
  /** '' serves the stage at the root of the domain. */
  basePath: string;
  stage: string;
  host: string;
}

export interface CustomDomainListener {
  /** `http://127.0.0.1:<port>/<base path>`, as the module's api_custom_domain_url is https://<domain>/<base path>. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The path of the stage the domain's path stands for (`/<stage>/rest`), or undefined when the path is outside
 * the base path. Mappings match whole segments: base path `v1` takes /v1 and /v1/pets, not /v10.
 */
export function stagePathOf(rawUrl: string, basePath: string, stage: string): string | undefined {
  if (basePath === '') return `/${stage}${rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`}`;
  const prefix = `/${basePath}`;
  const rest = rawUrl.slice(prefix.length);
  if (!rawUrl.startsWith(prefix) || (rest !== '' && !/^[/?]/.test(rest))) return undefined;
  return `/${stage}${rest}`;
}

/**
 * What a domain answers for a path no mapping takes, and what a turned-off execute-api endpoint answers.
 * The execute-api refusal is 403 Forbidden for REST APIs ("Clients can still connect to your default endpoint,
 * but they will receive a 403 Forbidden status code", API Gateway developer guide, "Disable the default
 * endpoint for REST APIs"). The body, the HTTP API's status (its guide names none) and the unmapped path's
 * answer are unverified: API Gateway's usual `{"message":"Forbidden"}` is used for all of them.
 */
export function refuse(outgoing: http.ServerResponse): void {
  const body = '{"message":"Forbidden"}';
  outgoing.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  outgoing.end(body);
}

export async function startCustomDomain(
  serve: http.RequestListener,
  options: CustomDomainOptions,
): Promise<CustomDomainListener> {
  const server = http.createServer((incoming, outgoing) => {
    const stagePath = stagePathOf(incoming.url ?? '/', options.basePath, options.stage);
    if (stagePath === undefined) return refuse(outgoing);
    // The gateway then sees the request as it would on execute-api: /<stage>/<path>?<query>.
    incoming.url = stagePath;
    serve(incoming, outgoing);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  return {
    url: options.basePath === '' ? origin : `${origin}/${options.basePath}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
