// The model made runnable: placeholders bound, each authorizer tied to the pools it trusts, each
// integration to its function or backend. Everything the gateway cannot run is reported at start.
import * as path from 'node:path';
import { bindString } from '../../openapi/model/placeholders';
import { SpecError, type SpecProblem } from '../../openapi/model/problems';
import type { ApiModel, MockIntegration, Operation, Placeholder } from '../../openapi/model/types';
import type { LambdaFunctionOptions } from '../../stack/props';
import type { BoundAuthorizer, TrustedPool } from './authorizer';
import { FunctionNotLoadable, LocalFunction } from './integrations/lambda-runtime';
import type { LambdaTarget } from './integrations/lambda';
import type { ProxyTarget } from './integrations/http-proxy';

export type PoolDirectory = Record<string, { issuer: string; jwksUrl: string }>;

export type BoundIntegration =
  | { type: 'mock'; integration: MockIntegration }
  | { type: 'http_proxy'; target: ProxyTarget }
  | { type: 'aws_proxy'; target: LambdaTarget };

export interface BoundOperation {
  operation: Operation;
  /** Undefined on public operations. */
  authorizer?: BoundAuthorizer;
  scopes: string[];
  integration: BoundIntegration;
}

export interface BindOptions {
  resolve: (p: Placeholder) => string;
  pools: PoolDirectory;
  functions: Record<string, LambdaFunctionOptions>;
  region: string;
}

export function bindApi(model: ApiModel, options: BindOptions): Map<Operation, BoundOperation> {
  const problems: SpecProblem[] = [];
  const problem = (rule: string, pointer: string, message: string, fix: string) =>
    problems.push({ severity: 'error', rule, file: model.file, pointer, message, fix });

  const authorizers = new Map<string, BoundAuthorizer>();
  for (const [name, a] of Object.entries(model.authorizers)) {
    const extension = `${a.pointer}/x-amazon-apigateway-authorizer`;
    if (a.kind === 'cognito_user_pools') {
      const pools: TrustedPool[] = [];
      a.providerArns.forEach((written, i) => {
        const arn = bindString(written, options.resolve);
        const pool = options.pools[arn];
        if (pool) pools.push({ arn, ...pool });
        else
          problem(
            'local-pool-unknown',
            `${extension}/providerARNs/${i}`,
            `The local gateway has no user pool for providerARN "${arn}".`,
            'Pass that pool in `pools` (the local stack provisions one local pool per ARN the document names).',
          );
      });
      let identityValidation: RegExp | undefined;
      if (a.identityValidationExpression !== undefined) {
        const expression = bindString(a.identityValidationExpression, options.resolve);
        try {
          // Matched against the whole claim, as API Gateway's (Java) regex matching does.
          identityValidation = new RegExp(`^(?:${expression})$`);
        } catch {
          problem(
            'local-identity-validation',
            `${extension}/identityValidationExpression`,
            `identityValidationExpression bound to "${expression}" is not a regular expression.`,
            'Fix the expression or the value its placeholder is bound to.',
          );
        }
      }
      authorizers.set(name, { kind: a.kind, name, tokenHeader: a.tokenHeader, identityValidation, pools });
    } else {
      const issuer = bindString(a.issuer, options.resolve);
      const jwksUrl = Object.values(options.pools).find((p) => p.issuer === issuer)?.jwksUrl;
      const audience = a.audience.map((entry) => bindString(entry, options.resolve));
      authorizers.set(name, { kind: 'jwt', name, tokenHeader: a.tokenHeader, issuer, audience, jwksUrl });
    }
  }

  const functions = new Map<string, LocalFunction>();
  const bound = new Map<Operation, BoundOperation>();
  for (const operation of model.operations) {
    const at = `${operation.pointer}/x-amazon-apigateway-integration`;
    const integration = bindIntegration(operation, at, options, functions, problem);
    if (!integration) continue;
    const auth = operation.auth;
    bound.set(operation, {
      operation,
      authorizer: auth.kind === 'authorizer' ? authorizers.get(auth.authorizer) : undefined,
      scopes: auth.kind === 'authorizer' ? auth.scopes : [],
      integration,
    });
  }
  if (problems.length > 0) throw new SpecError(problems);
  return bound;
}

function bindIntegration(
  operation: Operation,
  at: string,
  options: BindOptions,
  functions: Map<string, LocalFunction>,
  problem: (rule: string, pointer: string, message: string, fix: string) => void,
): BoundIntegration | undefined {
  const integration = operation.integration;
  switch (integration.type) {
    case 'mock':
      return { type: 'mock', integration };
    case 'http_proxy': {
      const uri = bindString(integration.uri, options.resolve);
      // Path variables are filled per request; the rest must already be a URL.
      if (!/^https?:\/\/[^/{}]+/.test(uri)) {
        problem(
          'local-backend-url',
          `${at}/uri`,
          `The http_proxy uri bound to "${uri}" is not an http(s) URL.`,
          "Bind the {{backend:<name>}} placeholder to a URL (backends in the props, or the local stack's echo backend).",
        );
        return undefined;
      }
      return { type: 'http_proxy', target: { integration, uri } };
    }
    case 'aws_proxy': {
      const name =
        integration.functionName ??
        /:function:([A-Za-z0-9_-]+)/.exec(bindString(integration.uri, options.resolve))?.[1];
      const fnOptions = name === undefined ? undefined : options.functions[name];
      if (name === undefined || !fnOptions) {
        problem(
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
          problem(
            'local-function-unloadable',
            `${at}/uri`,
            error.message,
            "Point sourceDir and handler (<file>.<export>) at the function's code.",
          );
          return undefined;
        }
        functions.set(name, fn);
      }
      return { type: 'aws_proxy', target: { integration, fn } };
    }
    default:
      problem(
        'local-integration-unsupported',
        `${at}/type`,
        `The local gateway cannot run a "${integration.type}" integration.`,
        'Use mock, http_proxy or aws_proxy for routes you test locally, and test this one against AWS.',
      );
      return undefined;
  }
}
