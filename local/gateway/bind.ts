// The bound model (stack/bound-*.ts) made runnable here: each authorizer tied to the local pools it trusts,
// each integration to a backend URL or a function loaded in this process (runnable.ts), or to a stand-in
// where nothing real can run here, listed at start. Only what the authorizers need is refused.
import { placeholderText } from '../../openapi/model/placeholders';
import { ProblemList, SpecError } from '../../openapi/model/problems';
import type { ApiModel, Operation } from '../../openapi/model/types';
import { placeholderResolver, pointerOfPlaceholder, type PlaceholderValues } from '../../stack/binding';
import { bindAuthorizers, type BoundAuthorizer } from '../../stack/bound-authorizers';
import { bindOperations } from '../../stack/bound-operations';
import type { LambdaFunctionOptions } from '../../stack/props';
import type { LocalAuthorizer, TrustedPool } from './authorizer';
import { bindOtherAuth, type OtherAuth, type OtherAuthBinding, type RefusedRoute } from './authorizers/bind-kinds';
import type { LocalFunction } from './integrations/lambda-runtime';
import type { OutboundPolicy } from './outbound';
import { runnableIntegration, type Binding, type Forwarded, type RunnableIntegration, type StandIn } from './runnable';

export type PoolDirectory = Record<string, { issuer: string; jwksUrl: string }>;
export type { RunnableIntegration, StandIn, Forwarded } from './runnable';
export type { RefusedRoute } from './authorizers/bind-kinds';

/** An operation as the gateway serves it. */
export interface BoundOperation extends OtherAuth {
  operation: Operation;
  /** The Cognito or JWT authorizer; IAM, Lambda authorizers and API keys are in OtherAuth. */
  authorizer?: LocalAuthorizer;
  scopes: string[];
  integration: RunnableIntegration;
}

export interface BindOptions {
  placeholders: PlaceholderValues<string>;
  pools: PoolDirectory;
  functions: Record<string, LambdaFunctionOptions>;
  region: string;
  /** Where backends off this machine may go (default: nowhere, they are stand-ins). */
  outbound?: OutboundPolicy;
  /** The API keys of the stage's usage plans (the project file's `local.apiKeys`); default none. */
  apiKeys?: string[];
}

export interface BoundApi {
  operations: Map<Operation, BoundOperation>;
  /** Operations answered by a stand-in, in document order. */
  standIns: StandIn[];
  /** Operations whose backend is off this machine, called because local.forward opts in. */
  forwarded: Forwarded[];
  /** Operations every request to which is refused here (IAM, an authorizer without its function, no API keys). */
  refused: RefusedRoute[];
}

export function bindApi(model: ApiModel, options: BindOptions): BoundApi {
  const problems = new ProblemList(model.file);
  const resolve = placeholderResolver(options.placeholders, (p) => {
    // A function or backend the props do not give is a stand-in (runnable.ts sees the placeholder left in).
    if (p.kind === 'lambda' || p.kind === 'backend') return placeholderText(p);
    problems.error(
      'local-placeholder-unbound',
      pointerOfPlaceholder(model, p),
      `The local gateway has no value for ${placeholderText(p)}.`,
      'Give it in `placeholders` (the local stack binds every client, function and backend of the props).',
    );
    return placeholderText(p);
  });
  const authorizers = localAuthorizers(bindAuthorizers(model, resolve, problems), options.pools, problems);
  const binding: Binding = {
    model,
    options: { functions: options.functions, region: options.region, outbound: options.outbound ?? NOWHERE },
    resolve,
    problems,
    functions: new Map<string, LocalFunction>(),
    standIns: [],
    forwarded: [],
  };
  const other: OtherAuthBinding = {
    model,
    functions: options.functions,
    region: options.region,
    apiKeys: new Set(options.apiKeys ?? []),
    problems,
    loaded: binding.functions,
    lambdaAuthorizers: new Map(),
    refused: [],
  };
  const bound = new Map<Operation, BoundOperation>();
  for (const op of bindOperations(model, authorizers, resolve)) {
    const auth = bindOtherAuth(op.operation, other);
    const integration = runnableIntegration(op.operation, op.integration, binding);
    if (integration) bound.set(op.operation, { ...op, ...auth, integration });
  }
  if (problems.hasErrors) throw new SpecError(problems.items);
  return { operations: bound, standIns: binding.standIns, forwarded: binding.forwarded, refused: other.refused };
}

const NOWHERE: OutboundPolicy = { urls: {}, forward: [] };

/**
 * The bound authorizers with the local pools they trust: REST, the pool of each providerARN (one the gateway
 * does not know is a problem); HTTP, the JWKS of the issuer's local pool, if it is one.
 */
export function localAuthorizers(
  bound: Record<string, BoundAuthorizer>,
  pools: PoolDirectory,
  problems: ProblemList,
): Record<string, LocalAuthorizer> {
  const local: Record<string, LocalAuthorizer> = {};
  for (const [name, authorizer] of Object.entries(bound)) {
    if (authorizer.kind === 'jwt') {
      const jwksUrl = Object.values(pools).find((p) => p.issuer === authorizer.issuer)?.jwksUrl;
      local[name] = { ...authorizer, jwksUrl };
      continue;
    }
    const trusted: TrustedPool[] = [];
    authorizer.providerArns.forEach((arn, i) => {
      const pool = pools[arn];
      if (pool) trusted.push({ arn, ...pool });
      else
        problems.error(
          'local-pool-unknown',
          `${authorizer.pointer}/x-amazon-apigateway-authorizer/providerARNs/${i}`,
          `The local gateway has no user pool for providerARN "${arn}".`,
          'Pass that pool in `pools` (the local stack provisions one local pool per ARN the document names).',
        );
    });
    local[name] = { ...authorizer, pools: trusted };
  }
  return local;
}
