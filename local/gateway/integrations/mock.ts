// A mock integration: the request template (VTL) gives the status as {"statusCode": N}, the integration
// response is chosen by selection pattern (else `default`), its response template (VTL) gives the body.
import type { MockIntegration } from '../../../openapi/model/types';
import {
  chooseResponse,
  CONFIGURATION_ERROR,
  mediaType,
  methodResponse,
  NO_VARIABLES,
  UNSUPPORTED_MEDIA_TYPE,
} from '../integration-mapping';
import { emptyOverrides, templateVariables, type MethodRequest } from '../mapping';
import type { GatewayError, Reply } from '../reply';
import type { GatewayRequest } from '../request';
import type { ContextTree } from '../templates';
import { compileTemplate } from '../vtl';

const STATUS_IN_TEMPLATE = /"statusCode"\s*:\s*"?(\d{3})"?/;

export async function runMock(
  integration: MockIntegration,
  request: GatewayRequest,
  context: ContextTree,
  pathParameters: Record<string, string>,
): Promise<Reply | GatewayError> {
  const requestType = mediaType(request.headers['content-type']) ?? 'application/json';
  const templates = integration.requestTemplates;
  const hasTemplates = Object.keys(templates).length > 0;
  let template = templates[requestType];
  if (template === undefined && hasTemplates) {
    // passthroughBehavior decides what a content type without a template gets.
    const passthrough = (integration.passthroughBehavior ?? 'when_no_match').toLowerCase();
    if (passthrough === 'never' || passthrough === 'when_no_templates') return UNSUPPORTED_MEDIA_TYPE;
    template = templates['application/json'];
  }
  const methodRequest: MethodRequest = { headers: request.headers, query: request.query, pathParameters };
  const overrides = emptyOverrides();
  let statusCode: string | undefined;
  if (template !== undefined) {
    const compiled = compileTemplate(template);
    // Only a template that reads $input waits for the body.
    const body = compiled.reads.has('input') ? (await request.readBody()).toString('utf8') : '';
    const variables =
      compiled.reads.size === 0 ? NO_VARIABLES : templateVariables(body, methodRequest, context, overrides);
    statusCode = STATUS_IN_TEMPLATE.exec(compiled.render(variables))?.[1];
  }
  // Without a statusCode the mock has nothing to answer with; API Gateway logs a configuration error.
  if (statusCode === undefined) return CONFIGURATION_ERROR;
  const response = chooseResponse(integration.responses, statusCode);
  if (!response) return CONFIGURATION_ERROR;
  return methodResponse(response, methodRequest, context, { headers: {}, body: '' }, overrides);
}
