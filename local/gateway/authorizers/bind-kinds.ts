// IAM, Lambda authorizers and API keys of one operation, bound for the local gateway: the Lambda authorizer's
// function loaded from the project file (one instance, and one decision cache, per authorizer), the usage
// plans' keys from `local.apiKeys`. Routes that no request can pass here are listed with why, as stand-ins are.
import * as path from 'node:path';
import type { ProblemList } from '../../../openapi/model/problems';
import type { ApiModel, Operation } from '../../../openapi/model/types';
import type { LambdaFunctionOptions } from '../../../stack/props';
import { FunctionNotLoadable, LocalFunction } from '../integrations/lambda-runtime';
import type { ApiKeyRequirement } from './api-keys';
import type { LocalLambdaAuthorizer } from './lambda-authorizer';

/** A route every request to which is refused locally, and why. */
export interface RefusedRoute {
  operation: string;
  method: string;
  path: string;
  reason: string;
}

export interface OtherAuth {
  /** IAM: refused locally, fail closed (iam.ts). */
  iam?: true;
  lambdaAuthorizer?: LocalLambdaAuthorizer;
  apiKey?: ApiKeyRequirement;
}

export interface OtherAuthBinding {
  model: ApiModel;
  functions: Record<string, LambdaFunctionOptions>;
  region: string;
  apiKeys: ReadonlySet<string>;
  problems: ProblemList;
  /** Shared with the integrations: one loaded function per name. */
  loaded: Map<string, LocalFunction>;
  lambdaAuthorizers: Map<string, LocalLambdaAuthorizer>;
  refused: RefusedRoute[];
}

const FUNCTION_IN_ARN = /:function:([A-Za-z0-9_-]+)/;

export function bindOtherAuth(operation: Operation, binding: OtherAuthBinding): OtherAuth {
  const auth = operation.auth;
  const refuse = (reason: string) =>
    binding.refused.push({ operation: operation.id, method: operation.method, path: operation.path, reason });
  const out: OtherAuth = {};
  if (auth.kind === 'iam') {
    out.iam = true;
    refuse('IAM (AWS_IAM): no SigV4 signature can be verified here, every request is refused (403)');
  }
  if (auth.kind === 'lambda') {
    const local = lambdaAuthorizer(auth.authorizer, binding);
    out.lambdaAuthorizer = local;
    if (!local.fn)
      refuse(
        `Lambda authorizer ${auth.authorizer}: ${local.unavailable}; every request passing its identity sources is refused (500) as when the authorizer fails`,
      );
  }
  const needsKey = auth.kind === 'api_key' || (auth.kind !== 'public' && auth.apiKeyRequired === true);
  if (needsKey && binding.model.kind === 'rest') {
    out.apiKey = { source: binding.model.apiKeySource ?? 'HEADER', keys: binding.apiKeys };
    if (binding.apiKeys.size === 0)
      refuse('requires an API key and local.apiKeys in the project file lists none, so every request is refused (403)');
  }
  return out;
}

function lambdaAuthorizer(name: string, binding: OtherAuthBinding): LocalLambdaAuthorizer {
  const known = binding.lambdaAuthorizers.get(name);
  if (known) return known;
  const authorizer = binding.model.lambdaAuthorizers[name];
  const fnName = authorizer.functionName ?? FUNCTION_IN_ARN.exec(authorizer.uri)?.[1];
  const local: LocalLambdaAuthorizer = { authorizer, region: binding.region, cache: new Map() };
  const options =
    fnName !== undefined && Object.hasOwn(binding.functions, fnName) ? binding.functions[fnName] : undefined;
  if (fnName === undefined) local.unavailable = `its authorizerUri names no function (received: ${authorizer.uri})`;
  else if (!options) local.unavailable = `no function \`${fnName}\` in the project file`;
  else {
    let fn = binding.loaded.get(fnName);
    if (!fn) {
      fn = new LocalFunction(fnName, { ...options, sourceDir: path.resolve(options.sourceDir) }, binding.region);
      try {
        fn.load();
        binding.loaded.set(fnName, fn);
      } catch (error) {
        if (!(error instanceof FunctionNotLoadable)) throw error;
        binding.problems.error(
          'local-function-unloadable',
          `${authorizer.pointer}/x-amazon-apigateway-authorizer/authorizerUri`,
          error.message,
          "Point sourceDir and handler (<file>.<export>) at the authorizer function's code.",
        );
        fn = undefined;
      }
    }
    if (fn) local.fn = fn;
    else local.unavailable = `function \`${fnName}\` cannot be loaded`;
  }
  binding.lambdaAuthorizers.set(name, local);
  return local;
}
