// A mock integration: the status comes from the request template's {"statusCode": N}, the integration
// response is chosen by selection pattern (else `default`), its body is the response template.
import type { MockIntegration } from '../../../openapi/model/types';
import type { GatewayError, Reply } from '../reply';
import type { GatewayRequest } from '../request';
import { parameterValue, renderTemplate, type ContextTree } from '../templates';

const STATUS_IN_TEMPLATE = /"statusCode"\s*:\s*"?(\d{3})"?/;

export function runMock(
  integration: MockIntegration,
  request: GatewayRequest,
  context: ContextTree,
  pathParameters: Record<string, string>,
): Reply | GatewayError {
  const requestType = mediaType(request.headers['content-type']) ?? 'application/json';
  const templates = integration.requestTemplates;
  const hasTemplates = Object.keys(templates).length > 0;
  let template = templates[requestType];
  if (template === undefined && hasTemplates) {
    // passthroughBehavior decides what a content type without a template gets.
    const passthrough = (integration.passthroughBehavior ?? 'when_no_match').toLowerCase();
    if (passthrough === 'never' || passthrough === 'when_no_templates')
      return {
        type: 'UNSUPPORTED_MEDIA_TYPE',
        status: 415,
        message: 'Unsupported Media Type',
        errorType: 'UnsupportedMediaTypeException',
      };
    template = templates['application/json'];
  }
  const statusCode = template !== undefined ? STATUS_IN_TEMPLATE.exec(template)?.[1] : undefined;
  if (statusCode === undefined)
    // Without a statusCode the mock has nothing to answer with; API Gateway logs a configuration error.
    return {
      type: 'API_CONFIGURATION_ERROR',
      status: 500,
      message: 'Internal server error',
      errorType: 'InternalServerErrorException',
    };

  const response =
    integration.responses.find((r) => r.selectionPattern !== 'default' && fullMatch(r.selectionPattern, statusCode)) ??
    integration.responses.find((r) => r.selectionPattern === 'default');
  if (!response)
    return {
      type: 'API_CONFIGURATION_ERROR',
      status: 500,
      message: 'Internal server error',
      errorType: 'InternalServerErrorException',
    };

  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(response.responseParameters)) {
    const header = /^method\.response\.header\.(.+)$/.exec(target);
    if (!header) continue;
    const value = parameterValue(source, { headers: request.headers, query: request.query, pathParameters }, context);
    if (value !== undefined) headers[header[1]] = value;
  }
  const contentType =
    response.responseTemplates['application/json'] !== undefined
      ? 'application/json'
      : (Object.keys(response.responseTemplates)[0] ?? 'application/json');
  const responseTemplate = response.responseTemplates[contentType];
  return {
    status: response.statusCode,
    headers: { 'content-type': contentType, ...headers },
    body: responseTemplate === undefined ? '' : renderTemplate(responseTemplate, context),
  };
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase() || undefined;
}
