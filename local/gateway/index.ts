// The local API Gateway: serves one API model under /<stage>/ on 127.0.0.1, deciding as API Gateway does.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiModel } from '../../openapi/model/types';
import type { PlaceholderValues } from '../../stack/binding';
import type { LambdaFunctionOptions } from '../../stack/props';
import { bindApi, type Forwarded, type PoolDirectory, type RefusedRoute, type StandIn } from './bind';
import type { OutboundPolicy } from './outbound';
import { KeyStore, type KeyStoreOptions } from './key-store';
import { handle, type Gateway } from './pipeline';
import { writeReply } from './reply';
import { GatewayRequest } from './request';
import { answerConnect, NODE_MAX_HEADER_BYTES, refusedAtTheDoor } from './request-limits';
import { RouteTable } from './routes';
import { refuse, startCustomDomain } from './custom-domain';

export interface LocalGatewayOptions {
  model: ApiModel;
  /** What `{{...}}` placeholders are bound to, as the module binds them to its resources. */
  placeholders: PlaceholderValues<string>;
  /** User pool ARN -> its issuer and JWKS URL, for every providerARN the document names. */
  pools: PoolDirectory;
  /**
   * Functions Lambda integrations run, in this process, by name: `{{lambda:<name>}}`, or the function an
   * invoke ARN names. A Lambda integration calling any other function is a stand-in.
   */
  functions: Record<string, LambdaFunctionOptions>;
  /**
   * Backend URIs off this machine: rewritten to local URLs (`urls`), or really called (`forward`). Default:
   * neither, so every such integration is a stand-in and no request (nor token) leaves this machine.
   */
  outbound?: OutboundPolicy;
  stage: string;
  region?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Backend timeout. Default: API Gateway's, 29 s (REST) or 30 s (HTTP API). */
  integrationTimeoutMs?: number;
  keyStore?: KeyStoreOptions;
  /** The API keys of the stage's usage plans (the project file's `local.apiKeys`); default none. */
  apiKeys?: string[];
  /** Where failures of functions, backends and key sources are reported. Default: stderr. */
  log?: (line: string) => void;
  /** The gateway's clock. Default Date.now; a test moves it to present a real token after it expired. */
  now?: () => number;
  /** Also serve the stage on a second listener under this base path, as the API's custom domain ('' for its root). */
  customDomainBasePath?: string;
  /** The listener at `url` refuses every request, as execute-api does with disableExecuteApiEndpoint. */
  disableExecuteApiEndpoint?: boolean;
}

export interface LocalGateway {
  /** `http://127.0.0.1:<port>/<stage>`, like an API's invoke URL. */
  url: string;
  /** Operations a stand-in answers (their documented success, after the authorizer), and why. */
  standIns: StandIn[];
  /** Operations whose backend is off this machine and really called (local.forward). */
  forwarded: Forwarded[];
  /** Operations every request to which is refused here (IAM, a Lambda authorizer without its function, no API keys). */
  refused: RefusedRoute[];
  /** `http://127.0.0.1:<port>/<base path>`: the custom domain's listener, when customDomainBasePath is given. */
  customDomainUrl?: string;
  stop(): Promise<void>;
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const { model, stage } = options;
  if (!/^[A-Za-z0-9_-]+$/.test(stage)) throw new Error(`Stage name "${stage}" may hold only letters, digits, - and _.`);
  const region = options.region ?? 'us-east-1';
  const bound = bindApi(model, {
    placeholders: options.placeholders,
    pools: options.pools,
    functions: options.functions,
    region,
    outbound: options.outbound,
    apiKeys: options.apiKeys,
  });
  const restoreEnvironment = applyFunctionEnvironments(options.functions);
  const gateway: Gateway = {
    model,
    api: { apiId: model.bodyHash.slice(0, 10), accountId: '000000000000', stage },
    routes: new RouteTable(model.operations, model.kind),
    bound: bound.operations,
    keys: new KeyStore(options.keyStore),
    integrationTimeoutMs: options.integrationTimeoutMs ?? (model.kind === 'rest' ? 29_000 : 30_000),
    log: options.log ?? ((line) => process.stderr.write(`[gateway] ${line}\n`)),
    now: options.now ?? Date.now,
  };

  // Quotas are checked before routing (request-limits.ts): a request over one is answered at the door.
  const door = { kind: model.kind, api: gateway.api, gatewayResponses: model.gatewayResponses };
  const serve: http.RequestListener = (incoming, outgoing) => {
    const request = new GatewayRequest(incoming, model.kind);
    const refused = refusedAtTheDoor(door, request);
    if (refused) writeReply(outgoing, refused);
    else void answer(gateway, request, outgoing);
  };
  const server = http.createServer(
    { maxHeaderSize: NODE_MAX_HEADER_BYTES },
    options.disableExecuteApiEndpoint ? (_in, outgoing) => refuse(outgoing) : serve,
  );
  // node:http closes a CONNECT's socket without a word unless something listens for it.
  server.on('connect', (_incoming: http.IncomingMessage, socket: Socket) => answerConnect(model.kind, socket));
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, resolve);
    });
  } catch (error) {
    restoreEnvironment();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const domain =
    options.customDomainBasePath === undefined
      ? undefined
      : await startCustomDomain(serve, { basePath: options.customDomainBasePath, stage, host }).catch((error) => {
          server.close();
          restoreEnvironment();
          throw error;
        });
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/${stage}`,
    customDomainUrl: domain?.url,
    standIns: bound.standIns,
    forwarded: bound.forwarded,
    refused: bound.refused,
    stop: async () => {
      await domain?.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          restoreEnvironment();
          resolve();
        });
      });
    },
  };
}

/**
 * One request's reply, written. An async function rather than `.then` with two closures per request; a
 * reply node refuses to write (a header value a function returned with a line break) closes the
 * connection, as a failed pipeline does, instead of rejecting with nothing to catch it.
 */
async function answer(gateway: Gateway, request: GatewayRequest, outgoing: http.ServerResponse): Promise<void> {
  try {
    writeReply(outgoing, await handle(gateway, request));
  } catch (error) {
    gateway.log(`reply failed: ${String(error)}`);
    outgoing.destroy();
  }
}

/**
 * Functions run in this process, so their environment variables go into process.env for as long as the
 * gateway runs. Two functions that set the same variable differently cannot share one process.
 */
function applyFunctionEnvironments(functions: Record<string, LambdaFunctionOptions>): () => void {
  const wanted = new Map<string, { value: string; fn: string }>();
  for (const [fn, options] of Object.entries(functions))
    for (const [name, value] of Object.entries(options.environment ?? {})) {
      const other = wanted.get(name);
      if (other && other.value !== value)
        throw new Error(
          `Functions "${other.fn}" and "${fn}" set ${name} differently; the local gateway runs every function in one process. Give the variable one value, or different names.`,
        );
      wanted.set(name, { value, fn });
    }
  const previous = new Map<string, string | undefined>();
  for (const [name, { value }] of wanted) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export type { Forwarded, PoolDirectory, RefusedRoute, StandIn } from './bind';
export type { OutboundPolicy } from './outbound';
