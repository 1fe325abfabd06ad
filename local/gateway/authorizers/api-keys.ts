// API keys (REST only): a method that requires one (`api_key` in its security requirement) is refused 403
// unless the request brings a key of a usage plan of the stage: from the x-api-key header
// (`x-amazon-apigateway-api-key-source: HEADER`, the default) or from the Lambda authorizer's
// `usageIdentifierKey` (AUTHORIZER). Locally the usage plans' keys are the project file's `local.apiKeys`;
// with none given, every key is unknown and every such request is refused (fail closed).
// AWS: 403, x-amzn-ErrorType ForbiddenException, "Forbidden", for a missing key and an unknown one alike
// ("API key isn't valid" in https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden);
// the INVALID_API_KEY gateway response (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
import type { IncomingHttpHeaders } from 'node:http';
import { refused, type Refused } from './outcome';

export interface ApiKeyRequirement {
  source: 'HEADER' | 'AUTHORIZER';
  /** The keys a usage plan of the stage holds. */
  keys: ReadonlySet<string>;
}

/** undefined when the request brings a known key. */
export function checkApiKey(
  requirement: ApiKeyRequirement,
  headers: IncomingHttpHeaders,
  usageIdentifierKey: string | undefined,
): Refused | undefined {
  const header = headers['x-api-key'];
  const key = requirement.source === 'HEADER' ? (Array.isArray(header) ? header[0] : header) : usageIdentifierKey;
  if (key !== undefined && key !== '' && requirement.keys.has(key)) return undefined;
  return refused(
    key === undefined || key === ''
      ? `no API key (${requirement.source === 'HEADER' ? 'x-api-key header' : "the authorizer's usageIdentifierKey"})`
      : requirement.keys.size === 0
        ? 'an API key, but local.apiKeys lists none'
        : 'an API key local.apiKeys does not list',
    { type: 'INVALID_API_KEY', status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  );
}
