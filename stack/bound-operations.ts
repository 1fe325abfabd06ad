// Each operation with what it runs bound: its authorizer and scopes, its integration with the uri bound and,
// for Lambda, the function it invokes. Whatever runs the API (the local gateway) starts from this.
import { bindString } from '../openapi/model/placeholders';
import type {
  ApiModel,
  HttpProxyIntegration,
  Integration,
  LambdaProxyIntegration,
  MockIntegration,
  Operation,
  OtherIntegration,
} from '../openapi/model/types';
import type { PlaceholderResolver } from './binding';
import type { BoundAuthorizer } from './bound-authorizers';

export type BoundIntegration =
  | { type: 'mock'; integration: MockIntegration }
  | { type: 'http_proxy'; integration: HttpProxyIntegration; uri: string }
  /** functionName: from `{{lambda:<name>}}`, else the `:function:<name>` of the bound invoke ARN. */
  | { type: 'aws_proxy'; integration: LambdaProxyIntegration; uri: string; functionName?: string }
  | { type: OtherIntegration['type']; integration: OtherIntegration; uri: string };

export interface BoundOperation<A = BoundAuthorizer> {
  operation: Operation;
  /** Undefined on public operations. */
  authorizer?: A;
  scopes: string[];
  integration: BoundIntegration;
}

const FUNCTION_IN_ARN = /:function:([A-Za-z0-9_-]+)/;

export function bindIntegration(integration: Integration, resolve: PlaceholderResolver<string>): BoundIntegration {
  switch (integration.type) {
    case 'mock':
      return { type: 'mock', integration };
    case 'http_proxy':
      return { type: 'http_proxy', integration, uri: bindString(integration.uri, resolve) };
    case 'aws_proxy': {
      const uri = bindString(integration.uri, resolve);
      return {
        type: 'aws_proxy',
        integration,
        uri,
        functionName: integration.functionName ?? FUNCTION_IN_ARN.exec(uri)?.[1],
      };
    }
    default:
      return { type: integration.type, integration, uri: bindString(integration.uri, resolve) };
  }
}

/** Every operation of the model, bound; `authorizers` are the model's, bound (bindAuthorizers) or built on. */
export function bindOperations<A>(
  model: ApiModel,
  authorizers: Record<string, A>,
  resolve: PlaceholderResolver<string>,
): BoundOperation<A>[] {
  return model.operations.map((operation) => {
    const auth = operation.auth;
    return {
      operation,
      authorizer: auth.kind === 'authorizer' ? authorizers[auth.authorizer] : undefined,
      scopes: auth.kind === 'authorizer' ? auth.scopes : [],
      integration: bindIntegration(operation.integration, resolve),
    };
  });
}
