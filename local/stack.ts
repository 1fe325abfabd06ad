// The whole local stack: local Cognito provisioned from the same resolved props as the module, a local
// API Gateway serving the model, and an outputs object shaped exactly like the module's Terraform outputs.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { SpecError, type SpecProblem } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { appProps, stackNameOf } from '../stack/app-props';
import type { PlaceholderValues } from '../stack/binding';
import type { SecuredApiProps } from '../stack/props';
import {
  bindingProblems,
  hostedUiSignInUrl,
  hostedUiSignUpUrls,
  resolveProps,
  type ResolvedProps,
} from '../stack/resolve';
import type { PoolOutput, StackOutputs } from '../stack/outputs';
import { startLocalCognito, provisionPool, awsIssuerOf, type CapturedCode, type LocalCognito } from './cognito';
import { startLocalGateway, type Forwarded, type RefusedRoute, type StandIn } from './gateway';
import { startEchoBackend, type EchoBackend } from './echo-backend';
import { standInPools, type StandInPool } from './hard-coded-pools';
import { writeFileAtomically } from '../openapi/model/write-atomically';

export interface LocalStackOptions {
  /** Path of the OpenAPI document, or a loaded model. */
  spec: string | ApiModel;
  /** Default: the props `main.ts` deploys with (stack/app-props.ts). */
  props?: SecuredApiProps;
  /** Default derived from the document's title, as main.ts does. */
  stackName?: string;
  /** The project file the props came from: problems in them name it. */
  propsFile?: string;
  host?: string;
  region?: string;
  /**
   * Where `{{backend:<name>}}` goes. Default: a local echo server for every backend, since the real ones
   * are out of reach here; pass real URLs to proxy to a backend you run yourself.
   */
  backends?: Record<string, string>;
  /**
   * Backend URL prefixes in the document -> local URLs that replace them (the project file's `local.urls`).
   * Any other backend off this machine is a stand-in: requests carry tokens, so none leaves by default.
   */
  urls?: Record<string, string>;
  /** Backend URL prefixes off this machine really called, tokens and all (the project file's `local.forward`). */
  forward?: string[];
  /** The API keys of the stage's usage plans (the project file's `local.apiKeys`); default none. */
  apiKeys?: string[];
  /** Write the outputs here (atomically) once the stack is up. */
  outputsFile?: string;
  /**
   * One clock for the local Cognito (the tokens it issues, the users' creation dates) and the gateway (exp,
   * nbf, iat). Default Date.now; a test moves it to let tokens of an earlier run expire.
   */
  clock?: () => number;
  /** The gateway's own clock, when it must differ from `clock` (default: `clock`). */
  gatewayClock?: () => number;
  /** Told of every code the local Cognito would have mailed (sign-up, password reset, invitation). */
  onCode?: (code: CapturedCode) => void;
  /**
   * 'aws': the stack's pool issues tokens with AWS's issuer, https://cognito-idp.<region>.amazonaws.com/<pool id>
   * (keys and discovery stay local: outputs jwks_url, discovery_url). Default 'local': <cognito url>/<pool id>.
   */
  issuerStyle?: 'local' | 'aws';
}

export interface LocalStack {
  model: ApiModel;
  outputs: StackOutputs;
  outputsFile?: string;
  /** Milliseconds from the call to everything listening and provisioned. */
  coldStartMs: number;
  cognitoUrl: string;
  /**
   * Operations answered by a stand-in (their documented success, after the authorizer) and why: AWS service
   * actions, functions and backends the props do not give, backends off this machine.
   */
  standIns: StandIn[];
  /** Operations whose backend off this machine is really called, because `forward` names it. */
  forwarded: Forwarded[];
  /** Operations every request to which is refused here (IAM, a Lambda authorizer without its function, no API keys). */
  refused: RefusedRoute[];
  stop(): Promise<void>;
}

type PoolWithSecrets = PoolOutput & { client_secrets: Record<string, string> };

const LOCAL_REGION = 'us-east-1';

/** The invoke ARN `{{lambda:<name>}}` stands for, in the local account; the gateway runs the function by name. */
function localInvokeArn(region: string, name: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:000000000000:function:${name}/invocations`;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started = performance.now();
  const model = typeof options.spec === 'string' ? await loadApiModel(options.spec) : options.spec;
  const props = options.props ?? appProps(model.file);
  const resolved = resolveProps(props, model, options.stackName ?? stackNameOf(model.title), options.propsFile);
  const unbound = refusedBindings(model, props, resolved, options.backends ?? {});
  if (unbound.length > 0) throw new SpecError(unbound);

  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? LOCAL_REGION;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    const cognito = await startLocalCognito({ host, port: 0, region, onCode: options.onCode, now: options.clock });
    stoppers.push(() => cognito.stop());
    const [main, extra] = await Promise.all([
      provisionPool(
        cognito,
        resolved,
        options.issuerStyle === 'aws' ? { issuer: (poolId) => awsIssuerOf(region, poolId) } : {},
      ),
      provisionStandIns(cognito, standInPools(model, resolved)),
    ]);

    let echo: EchoBackend | undefined;
    const backends: Record<string, string> = { ...options.backends };
    const missing = Object.keys(resolved.backends).filter((name) => !backends[name]);
    if (missing.length > 0) {
      echo = await startEchoBackend(host);
      stoppers.push(() => echo!.stop());
      for (const name of missing) backends[name] = echo.url;
    }

    const placeholders: PlaceholderValues<string> = {
      userPoolArn: main.user_pool_arn,
      issuer: main.issuer,
      region,
      clientIds: Object.fromEntries(Object.entries(main.clients).map(([name, c]) => [name, c.id])),
      lambdaInvokeArns: Object.fromEntries(
        Object.keys(props.functions ?? {}).map((name) => [name, localInvokeArn(region, name)]),
      ),
      backends,
    };
    const pools: Record<string, { issuer: string; jwksUrl: string }> = {
      [main.user_pool_arn]: { issuer: main.issuer, jwksUrl: main.jwks_url },
    };
    for (const [arn, pool] of Object.entries(extra)) pools[arn] = { issuer: pool.issuer, jwksUrl: pool.jwks_url };

    const functions = Object.fromEntries(
      Object.entries(props.functions ?? {}).map(([name, f]) => [name, { ...f, sourceDir: path.resolve(f.sourceDir) }]),
    );
    const gateway = await startLocalGateway({
      model,
      placeholders,
      pools,
      functions,
      stage: resolved.stageName,
      region,
      host,
      port: 0,
      now: options.gatewayClock ?? options.clock,
      outbound: { urls: options.urls ?? {}, forward: options.forward ?? [] },
      apiKeys: options.apiKeys,
      // The API's custom domain: its own listener, serving the stage under the base path.
      customDomainBasePath: resolved.apiDomain?.basePath,
      disableExecuteApiEndpoint: resolved.apiDomain?.disableExecuteApiEndpoint,
    });
    stoppers.push(() => gateway.stop());

    const { client_secrets, ...mainPool } = main;
    const outputs: StackOutputs = {
      ...mainPool,
      api_url: gateway.url,
      api_kind: model.kind,
      stage: resolved.stageName,
      region,
      // As on AWS: the domain without a scheme, and the sign-in URL the module builds.
      hosted_ui_domain: new URL(cognito.url).host,
      hosted_ui_sign_in_url: hostedUiSignInUrl(cognito.url, resolved, placeholders.clientIds),
      hosted_ui_sign_up_urls: hostedUiSignUpUrls(cognito.url, resolved, placeholders.clientIds),
      api_custom_domain_url: gateway.customDomainUrl ?? '',
      execute_api_endpoint_disabled: resolved.apiDomain?.disableExecuteApiEndpoint ?? false,
      client_secrets,
      ...(Object.keys(extra).length > 0 ? { extra_pools: extra } : {}),
    };
    if (options.outputsFile) writeJsonAtomically(options.outputsFile, outputs);
    return {
      model,
      outputs,
      outputsFile: options.outputsFile,
      coldStartMs: performance.now() - started,
      cognitoUrl: cognito.url,
      standIns: gateway.standIns,
      forwarded: gateway.forwarded,
      refused: gateway.refused,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The module's binding problems that the local stack refuses too. An integration calling a function or a
 * backend the props (or `backends`) do not give is a stand-in here, not a refusal: the document is valid,
 * only its backend is out of reach. Every other unbound placeholder (a client, an authorizer's function)
 * decides authorization, so it is refused as the module refuses it.
 */
function refusedBindings(
  model: ApiModel,
  props: SecuredApiProps,
  resolved: ResolvedProps,
  localBackends: Record<string, string>,
): SpecProblem[] {
  const given = {
    lambda: new Set(Object.keys(props.functions ?? {})),
    backend: new Set([...Object.keys(resolved.backends), ...Object.keys(localBackends)]),
  };
  const standIns = new Set<string>();
  const refused = new Set<string>();
  for (const { pointer, placeholder } of model.placeholders) {
    if (!('name' in placeholder)) continue;
    const inIntegration = pointer.includes('/x-amazon-apigateway-integration/');
    if ((placeholder.kind === 'lambda' || placeholder.kind === 'backend') && inIntegration) {
      if (!given[placeholder.kind].has(placeholder.name)) standIns.add(pointer);
    } else refused.add(pointer);
  }
  return bindingProblems(model, props, resolved).filter((p) => !standIns.has(p.pointer) || refused.has(p.pointer));
}

/**
 * A local pool for each pool the document names itself (local/hard-coded-pools.ts), with the issuer real
 * tokens of that pool carry and the client ids its jwt audience lists. Listed under the ARN the document
 * names (its user_pool_id stays the local one, which the admin API needs), as the harness reads extra_pools.
 */
async function provisionStandIns(
  cognito: LocalCognito,
  standIns: StandInPool[],
): Promise<Record<string, PoolWithSecrets>> {
  const out: Record<string, PoolWithSecrets> = {};
  await Promise.all(
    standIns.map(async (standIn) => {
      const pool = await provisionPool(cognito, standIn.resolved, {
        issuer: standIn.issuer,
        clientIds: standIn.clientIds,
      });
      out[standIn.arn] = { ...pool, user_pool_arn: standIn.arn };
    }),
  );
  return out;
}

function writeJsonAtomically(file: string, value: unknown): void {
  writeFileAtomically(file, JSON.stringify(value, null, 2) + '\n');
}
