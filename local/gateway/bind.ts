// The bound model (stack/bound-*.ts) made runnable here: each authorizer tied to the local pools it trusts,
// each integration to a backend URL or a function loaded in this process. Everything the gateway cannot run
// is reported at start.
import * as path from 'node:path';
import { placeholderText } from '../../openapi/model/placeholders';
import { ProblemList, SpecError } from '../../openapi/model/problems';
import type { ApiModel, MockIntegration, Operation } from '../../openapi/model/types';
import { placeholderResolver, pointerOfPlaceholder, type PlaceholderValues } from '../../stack/binding';
import { bindAuthorizers, type BoundAuthorizer } from '../../stack/bound-authorizers';
import { bindOperations, type BoundIntegration } from '../../stack/bound-operations';
import type { LambdaFunctionOptions } from '../../stack/props';
import type { LocalAuthorizer, TrustedPool } from './authorizer';
import { FunctionNotLoadable, LocalFunction } from './integrations/lambda-runtime';
import type { LambdaTarget } from './integrations/lambda';
import type { ProxyTarget } from './integrations/http-proxy';

export type PoolDirectory = Record<string, { issuer: string; jwksUrl: string }>;

/** An integration as the gateway runs it. */
export type RunnableIntegration =
  | { type: 'mock'; integration: MockIntegration }
  | { type: 'http_proxy'; target: ProxyTarget }
  | { type: 'aws_proxy'; target: LambdaTarget };

/** An operation as the gateway serves it. */
export interface BoundOperation {
  operation: Operation;
  /** Undefined on public operations. */
  authorizer?: LocalAuthorizer;
  scopes: string[];
  integration: RunnableIntegration;
}

export interface BindOptions {
  placeholders: PlaceholderValues<string>;
  pools: PoolDirectory;
  functions: Record<string, LambdaFunctionOptions>;
  region: string;
}

export function bindApi(model: ApiModel, options: BindOptions): Map<Operation, BoundOperation> {
  const problems = new ProblemList(model.file);
  const resolve = placeholderResolver(options.placeholders, (p) => {
    problems.error(
      'local-placeholder-unbound',
      pointerOfPlaceholder(model, p),
      `The local gateway has no value for ${placeholderText(p)}.`,
      'Give it in `placeholders` (the local stack binds every client, function and backend of the props).',
    );
    return placeholderText(p);
  });
  const authorizers = localAuthorizers(bindAuthorizers(model, resolve, problems), options.pools, problems);
  const functions = new Map<string, LocalFunction>();
  const bound = new Map<Operation, BoundOperation>();
  for (const op of bindOperations(model, authorizers, resolve)) {
    const at = `${op.operation.pointer}/x-amazon-apigateway-integration`;
    const integration = runnable(op.integration, at, options, functions, problems);
    if (integration) bound.set(op.operation, { ...op, integration });
  }
  if (problems.hasErrors) throw new SpecError(problems.items);
  return bound;
}

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

function runnable(
  integration: BoundIntegration,
  at: string,
  options: BindOptions,
  functions: Map<string, LocalFunction>,
  problems: ProblemList,
): RunnableIntegration | undefined {
  switch (integration.type) {
    case 'mock':
      return integration;
    case 'http_proxy': {
      const uri = integration.uri;
      // Path variables are filled per request; the rest must already be a URL.
      if (!/^https?:\/\/[^/{}]+/.test(uri)) {
        problems.error(
          'local-backend-url',
          `${at}/uri`,
          `The http_proxy uri bound to "${uri}" is not an http(s) URL.`,
          "Bind the {{backend:<name>}} placeholder to a URL (backends in the props, or the local stack's echo backend).",
        );
        return undefined;
      }
      return { type: 'http_proxy', target: { integration: integration.integration, uri } };
    }
    case 'aws_proxy': {
      const name = integration.functionName;
      const fnOptions = name === undefined ? undefined : options.functions[name];
      if (name === undefined || !fnOptions) {
        problems.error(
          'local-function-unknown',
          `${at}/uri`,
          `The local gateway has no function${name ? ` "${name}"` : ''} for this Lambda integration.`,
          `Add ${name ? `"${name}"` : 'it'} to \`functions\` (sourceDir and handler), as the props' functions do for {{lambda:<name>}}.`,
        );
        return undefined;
      }
      let fn = functions.get(name);
      if (!fn) {
        fn = new LocalFunction(name, { ...fnOptions, sourceDir: path.resolve(fnOptions.sourceDir) }, options.region);
        try {
          fn.load();
        } catch (error) {
          if (!(error instanceof FunctionNotLoadable)) throw error;
          problems.error(
            'local-function-unloadable',
            `${at}/uri`,
            error.message,
            "Point sourceDir and handler (<file>.<export>) at the function's code.",
          );
          return undefined;
        }
        functions.set(name, fn);
      }
      return { type: 'aws_proxy', target: { integration: integration.integration, fn } };
    }
    default:
      problems.error(
        'local-integration-unsupported',
        `${at}/type`,
        `The local gateway cannot run a "${integration.type}" integration.`,
        'Use mock, http_proxy or aws_proxy for routes you test locally, and test this one against AWS.',
      );
      return undefined;
  }
}
