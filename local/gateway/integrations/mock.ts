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

/**
 * The mock's answer; without a promise when its templates read nothing (the usual mock: `{"statusCode":
 * 200}` and a fixed body), which is then the same reply every time, worked out on the first request of
 * each content type.
 */
export function runMock(
  integration: MockIntegration,
  request: GatewayRequest,
  context: ContextTree,
  pathParameters: Record<string, string>,
): Reply | GatewayError | Promise<Reply | GatewayError> {
  const requestType = mediaType(request.headers['content-type']) ?? 'application/json';
  let known = constantReplies.get(integration);
  if (!known) constantReplies.set(integration, (known = new Map()));
  let constant = known.get(requestType);
  if (constant === undefined) {
    constant = constantReply(integration, requestType);
    // The content type is the client's: a bounded number of them is remembered.
    if (known.size < MAX_CONTENT_TYPES) known.set(requestType, constant);
  }
  // Object.assign, not a spread: a spread clone gains the request ids at the runtime's slow path (10x the
  // time of building the object, V8 11 / Node 20).
  if (constant) return { status: constant.status, headers: Object.assign({}, constant.headers), body: constant.body };
  return renderMock(integration, request, context, pathParameters, requestType);
}

const constantReplies = new WeakMap<MockIntegration, Map<string, Reply | null>>();
const MAX_CONTENT_TYPES = 16;

/**
 * The reply when nothing in it depends on the request: a request template reading no variable, one
 * response template (or none, so no Accept header chooses) reading none, literal response parameters.
 * Otherwise null. Made by the same steps as renderMock, so it is the reply renderMock would give.
 */
function constantReply(integration: MockIntegration, requestType: string): Reply | null {
  const template = requestTemplateOf(integration, requestType);
  if (typeof template !== 'string') return null;
  const compiled = compileTemplate(template);
  if (compiled.reads.size > 0) return null;
  const statusCode = STATUS_IN_TEMPLATE.exec(compiled.render(NO_VARIABLES))?.[1];
  if (statusCode === undefined) return null;
  const response = chooseResponse(integration.responses, statusCode);
  if (!response) return null;
  const types = Object.keys(response.responseTemplates);
  if (types.length > 1 || types.some((t) => compileTemplate(response.responseTemplates[t]).reads.size > 0)) return null;
  if (Object.values(response.responseParameters).some((source) => DYNAMIC_SOURCE.test(source))) return null;
  const nothing: MethodRequest = { headers: {}, query: new URLSearchParams(), pathParameters: {} };
  return methodResponse(response, nothing, {}, { headers: {}, body: '' }, emptyOverrides());
}

/** Parameter sources that read the request, the integration's answer, $context or stage variables. */
const DYNAMIC_SOURCE = /^(method\.|integration\.|context\.|stageVariables\.)/;

/** The request template for the content type; null where passthroughBehavior refuses it (415). */
function requestTemplateOf(integration: MockIntegration, requestType: string): string | undefined | null {
  const templates = integration.requestTemplates;
  const template = templates[requestType];
  if (template !== undefined || Object.keys(templates).length === 0) return template;
  // passthroughBehavior decides what a content type without a template gets.
  const passthrough = (integration.passthroughBehavior ?? 'when_no_match').toLowerCase();
  if (passthrough === 'never' || passthrough === 'when_no_templates') return null;
  return templates['application/json'];
}

async function renderMock(
  integration: MockIntegration,
  request: GatewayRequest,
  context: ContextTree,
  pathParameters: Record<string, string>,
  requestType: string,
): Promise<Reply | GatewayError> {
  const template = requestTemplateOf(integration, requestType);
  if (template === null) return UNSUPPORTED_MEDIA_TYPE;
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
