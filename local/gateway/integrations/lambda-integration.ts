// A non-proxy Lambda integration (type aws): the request template makes the event, the handler runs, and
// its result — or its error, selected by errorMessage — goes through the integration responses.
import type { IntegrationSettings } from '../integration-settings';
import { chooseResponse, CONFIGURATION_ERROR, methodResponse, requestTemplate } from '../integration-mapping';
import { emptyOverrides, templateVariables, type MethodRequest } from '../mapping';
import type { GatewayError, Reply } from '../reply';
import type { GatewayRequest } from '../request';
import type { ContextTree } from '../templates';
import { compileTemplate } from '../vtl';
import type { LambdaLog } from './lambda';
import type { LocalFunction } from './lambda-runtime';

export interface LambdaIntegrationTarget {
  settings: IntegrationSettings;
  fn: LocalFunction;
}

export async function runLambdaIntegration(
  target: LambdaIntegrationTarget,
  request: GatewayRequest,
  pathParameters: Record<string, string>,
  context: ContextTree,
  log: LambdaLog,
): Promise<Reply | GatewayError> {
  const { settings, fn } = target;
  const chosen = requestTemplate(
    settings.requestTemplates,
    settings.passthroughBehavior,
    request.headers['content-type'],
  );
  if ('type' in chosen) return chosen;
  const body = (await request.readBody()).toString('utf8');
  const methodRequest: MethodRequest = { headers: request.headers, query: request.query, pathParameters };
  const overrides = emptyOverrides();
  const payload =
    chosen.template === undefined
      ? body
      : compileTemplate(chosen.template).render(templateVariables(body, methodRequest, context, overrides));
  let event: unknown;
  try {
    event = payload.trim() === '' ? {} : JSON.parse(payload);
  } catch {
    // Lambda takes JSON only; API Gateway reports the failed invocation as a configuration error.
    log(`function "${fn.name}": the request ${chosen.template === undefined ? 'body' : 'template'} is not JSON`);
    return CONFIGURATION_ERROR;
  }
  const invocation = await fn.invoke(event, request.requestId);
  const answer = invocation.ok
    ? { headers: {}, body: JSON.stringify(invocation.result ?? null) }
    : {
        headers: {},
        body: JSON.stringify({
          errorMessage: invocation.errorMessage,
          errorType: invocation.errorType,
          stackTrace: [],
        }),
      };
  if (!invocation.ok) log(`function "${fn.name}" failed: ${invocation.error}`);
  const response = chooseResponse(settings.responses, invocation.ok ? undefined : invocation.errorMessage);
  if (!response) {
    log(`function "${fn.name}": no integration response matches and there is no default`);
    return CONFIGURATION_ERROR;
  }
  return methodResponse(response, methodRequest, context, answer, overrides);
}
