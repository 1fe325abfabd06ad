// Everything a contract run needs, set up once: the model, the outputs, the bound authorizers, the plan,
// request values, tokens and the attacker. Shared by runContract (the CLI) and the jest suite.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel } from '../openapi/model/types';
import type { StackOutputs } from '../stack/outputs';
import { bindAuthorizers, type BoundAuthorizer } from './binding';
import { harnessValuesOf, loadHarnessConfig, operationKeys, type HarnessConfig } from './config';
import { apiKeyFromFlag, credentialSecrets } from './credentials';
import type { ProjectFile } from '../stack/project-file';
import { harnessInputError } from './errors';
import { judge, type CheckCase, type ObservedResponse } from './expectations';
import { Attacker } from './forge';
import { credentialValue, type TokenTools } from './materialize';
import { loadOutputsAt, type OutputOverrides } from './outputs-file';
import { buildPlan, NO_TOKEN_STORE, type Check, type Plan, type TokenSource } from './plan';
import { Redactor } from './redact';
import { buildOperationRequest, joinUrl } from './request';
import { apiUrlFor } from './custom-domain';
import { TokenProvider, type CredentialProvider, type ExistingUser } from './tokens';
import type { HttpRequest, RetryPolicy } from './http';
import { Traffic } from './traffic';
import type { SignInDriver } from './hosted-ui';
import { TokenStore, kindOf } from './token-store';
import type { ProbeTarget } from './reachability';

export interface HarnessOptions {
  /** The document's path, or its model when the caller has loaded it already. */
  spec: string | ApiModel;
  /** The outputs file; or give `outputs` directly. */
  outputsFile?: string;
  outputs?: StackOutputs;
  stack?: string;
  /** The SecuredApi's construct id, when the stack holds several. */
  api?: string;
  overrides?: OutputOverrides;
  /** A file of per-operation values of its own (`operations:` at the top). */
  configFile?: string;
  /** The project file: its `contract` key holds the per-operation values. */
  projectFile?: ProjectFile;
  /** operationIds, `METHOD /path`s or paths; all operations when empty. */
  only?: string[];
  /** Run only these check cases (e.g. the no-token / valid-token pair); every case when empty. */
  cases?: CheckCase[];
  existingUser?: ExistingUser;
  credentials?: CredentialProvider;
  /** Sign in at the hosted UI in headless Chromium (for AWS's managed login pages) instead of over HTTP. */
  hostedUiDriver?: SignInDriver;
  /**
   * The token store file (token-store.ts): the `expired` check sends the expired tokens it holds, and this
   * run's tokens are added to it. Default: the project file's contract.tokenStore; none: `expired` is not run.
   */
  tokenStore?: string;
  /** The clock token expiry is judged by. Default Date.now; a test shares the local stack's. */
  now?: () => number;
  log?: (line: string) => void;
  /** Where `{ env: NAME }` credentials of the config are read (credentials.ts). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The environment variable holding the API key to send, in place of the config's contract.apiKey. */
  apiKeyEnv?: string;
  /** Backoff for throttling and transient errors, the API's and Cognito's alike. Default http.ts's DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

export interface Harness {
  model: ApiModel;
  outputs: StackOutputs;
  authorizers: Record<string, BoundAuthorizer>;
  config: HarnessConfig;
  plan: Plan;
  redactor: Redactor;
  tools: TokenTools;
  /** Every request of the run counted where it goes out: Cognito's by action, the API's, throttled retries. */
  traffic: Traffic;
  /** The request a check sends (fetches or forges its token). */
  requestFor(check: Check): Promise<HttpRequest>;
  /** Problems with a response, redacted; empty when the check passes. */
  judge(check: Check, response: ObservedResponse): string[];
  /** The store this run reads expired tokens from and writes its tokens to, when one is given. */
  tokenStore?: TokenStore;
  /** Writes this run's tokens into the store (nothing without one). */
  saveTokens(): Promise<void>;
  /** What must answer for the run to mean anything: the API, each Cognito endpoint and token endpoint. */
  endpoints(): ProbeTarget[];
  now(): number;
  /** Deletes test users and stops the attacker's key server. */
  close(): Promise<void>;
}

export function selectOperations(model: ApiModel, only: string[] | undefined): ApiModel {
  if (!only || only.length === 0) return model;
  const unmatched = only.filter((o) => !model.operations.some((op) => operationKeys(op).includes(o) || op.path === o));
  if (unmatched.length > 0)
    throw harnessInputError(
      'only-unknown-operation',
      '--only',
      '',
      `No such operation in ${path.relative(process.cwd(), model.file) || model.file} (received: ${unmatched.join(', ')}).`,
      `Use an operationId, "METHOD /path" or a path: ${model.operations.map((o) => o.id).join(', ')}.`,
    );
  return {
    ...model,
    operations: model.operations.filter((op) => only.some((o) => operationKeys(op).includes(o) || op.path === o)),
  };
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  // RSA key generation runs in the thread pool while the document loads on this thread (100-200 ms of a
  // 1,000-operation run's set-up). Nothing is held until Attacker.start below, so a failure before it leaks nothing.
  const attackerKey = Attacker.generateKey();
  attackerKey.catch(() => undefined);
  const fullModel =
    typeof options.spec === 'string'
      ? await loadApiModel(options.spec, { variables: options.projectFile?.variables })
      : options.spec;
  const model = selectOperations(fullModel, options.only);
  let outputs: StackOutputs;
  // Where the outputs stand, for problems found in them later.
  let source = { file: 'outputs', pointer: '' };
  if (options.outputs) outputs = options.outputs;
  else if (options.outputsFile) {
    const loaded = loadOutputsAt(options.outputsFile, {
      stack: options.stack,
      api: options.api,
      overrides: options.overrides,
    });
    outputs = loaded.outputs;
    source = { file: options.outputsFile, pointer: loaded.pointer };
  } else
    throw harnessInputError(
      'outputs-missing',
      '--outputs',
      '',
      'No outputs given.',
      'Pass --outputs <file> (from `cdktf output --outputs-file` or `gatehouse local`).',
    );
  if (outputs.api_kind !== model.kind)
    throw harnessInputError(
      'outputs-api-kind',
      source.file,
      `${source.pointer}/api_kind`,
      `The outputs are those of a stack whose api_kind is ${JSON.stringify(outputs.api_kind)}, but ${model.file} describes a ${model.kind} API (received: ${JSON.stringify(outputs.api_kind)}).`,
      'Pass the outputs of the stack deployed from this document.',
    );
  const authorizers = bindAuthorizers(model, outputs);
  const project = options.projectFile;
  const env = options.env ?? process.env;
  const config =
    project?.contract !== undefined
      ? harnessValuesOf(project.contract, project.file, '/contract', fullModel, env)
      : loadHarnessConfig(options.configFile, fullModel, env);
  const wanted = (c: CheckCase) => !options.cases || options.cases.length === 0 || options.cases.includes(c);
  const now = options.now ?? Date.now;
  const redactor = new Redactor();
  const credentials =
    options.apiKeyEnv !== undefined
      ? { ...config.credentials, apiKey: apiKeyFromFlag(options.apiKeyEnv, env) }
      : config.credentials;
  for (const secret of credentialSecrets(credentials)) redactor.add(secret, 'secret');
  const traffic = new Traffic();
  const storeFile = options.tokenStore ?? config.tokenStore;
  const store = storeFile !== undefined ? TokenStore.open(storeFile, redactor, now()) : undefined;
  // Each token recorded once its client's refresh-token validity is known (how long the store keeps it).
  const recording: Promise<void>[] = [];
  const tokens: TokenProvider = new TokenProvider({
    outputs,
    source,
    redactor,
    existingUser: options.existingUser,
    credentials: options.credentials,
    hostedUiDriver: options.hostedUiDriver,
    log: options.log,
    now,
    traffic,
    retry: options.retry,
    onIssued: store
      ? (issued, token) =>
          recording.push(
            tokens
              .refreshTokenValidityMs(issued.pool, issued.client)
              .then((keepForMs) =>
                store.record(
                  { source: issued, ...tokens.identityOf(issued.pool, issued.client), token, keepForMs },
                  issued.client,
                  now(),
                ),
              ),
          )
      : undefined,
  });
  const expiredToken = (s: TokenSource) => store?.expired(s, tokens.identityOf(s.pool, s.client), now())?.token;
  const fullPlan = buildPlan(model, outputs, authorizers, {
    preferredUserClientId: options.overrides?.clientId,
    expiredToken: (s) => (expiredToken(s) !== undefined ? undefined : notRunReason(s, store, now())),
    credentials: {
      apiKey: credentials.apiKey !== undefined,
      lambdaAuthorizers: Object.fromEntries(
        Object.entries(credentials.lambdaAuthorizers).map(([name, i]) => [
          name,
          { headers: Object.keys(i.headers), query: Object.keys(i.query) },
        ]),
      ),
    },
  });
  const plan = {
    checks: fullPlan.checks.filter((c) => wanted(c.case)),
    omitted: fullPlan.omitted.filter((o) => wanted(o.case)),
  };
  const attacker = await Attacker.start(attackerKey);
  const tools: TokenTools = {
    tokens,
    attacker,
    expiredToken,
  };
  const requests = new Map(model.operations.map((op) => [op.id, buildOperationRequest(op, config.operations[op.id])]));

  return {
    model,
    outputs,
    authorizers,
    config,
    plan,
    redactor,
    tools,
    traffic,
    async requestFor(check) {
      const base = requests.get(check.operation.id)!;
      const headers = { ...base.headers };
      let pathAndQuery = base.pathAndQuery;
      const value = await credentialValue(check.credential, tools);
      if (value !== undefined) headers[check.tokenHeader] = value;
      if (check.credential.kind === 'lambda-identity') {
        const identity = credentials.lambdaAuthorizers[check.credential.authorizer];
        for (const [name, v] of Object.entries(identity.headers)) headers[name.toLowerCase()] = v;
        pathAndQuery = withQuery(pathAndQuery, identity.query);
      }
      if (check.apiKey) headers['x-api-key'] = credentials.apiKey!;
      return {
        method: base.method,
        url: joinUrl(apiUrlFor(check, outputs), pathAndQuery),
        headers,
        body: base.body,
      };
    },
    judge(check, response) {
      // Redacted before judging too: judge() quotes (and cuts) the body, and a cut token would escape redaction.
      return judge(check.expected, { ...response, bodyText: redactor.redact(response.bodyText) }).map((p) =>
        redactor.redact(p),
      );
    },
    tokenStore: store,
    async saveTokens() {
      if (!store) return;
      await Promise.all(recording);
      store.save(now());
    },
    endpoints() {
      // The checks go to the custom domain when there is one; a turned-off execute-api URL is only sent one check.
      return [{ target: 'API', url: outputs.api_custom_domain_url || outputs.api_url }, ...tokens.endpoints()];
    },
    now,
    async close() {
      try {
        await tokens.close();
      } finally {
        await attacker.stop();
      }
    },
  };
}

/** `pathAndQuery` with `query` set in it (replacing a value the document's example put there). */
function withQuery(pathAndQuery: string, query: Record<string, string>): string {
  if (Object.keys(query).length === 0) return pathAndQuery;
  const at = pathAndQuery.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : pathAndQuery.slice(at + 1));
  for (const [name, v] of Object.entries(query)) params.set(name, v);
  return `${at < 0 ? pathAndQuery : pathAndQuery.slice(0, at)}?${params.toString()}`;
}

/** Why the `expired` check of an operation does not run, with the flag that makes it run. */
function notRunReason(source: TokenSource, store: TokenStore | undefined, now: number): string {
  if (!store) return NO_TOKEN_STORE;
  const what = `${kindOf(source)} token of client "${source.client}"${'scopes' in source ? ` with scope "${source.scopes.join(' ')}"` : ''}`;
  const next = store.nextExpiry(now);
  return `the token store ${store.file} holds no expired ${what}: run again with --token-store ${store.file} ${next !== undefined ? `after ${new Date(next).toISOString()}, when its soonest token expires` : "after this run's tokens expire (their exp is in the store)"}`;
}
