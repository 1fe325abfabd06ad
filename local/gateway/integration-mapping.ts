// The two ends of a non-proxy integration (mock, http, aws): which request template applies (or the
// passthrough behaviour's answer), and how the integration's answer becomes the method response —
// integration response chosen by selection pattern, response parameters, response template.
import type { IntegrationResponse } from '../../openapi/model/types';
import type { Passthrough } from './integration-settings';
import { mappedValue, templateVariables, type IntegrationAnswer, type MethodRequest, type Overrides } from './mapping';
import type { GatewayError, Reply } from './reply';
import type { ContextTree } from './templates';
import { compileTemplate } from './vtl';

/** For templates that read no variable (plain text). */
export const NO_VARIABLES = (): undefined => undefined;

export function mediaType(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(';')[0].trim().toLowerCase() || undefined;
}

export const UNSUPPORTED_MEDIA_TYPE: GatewayError = {
  type: 'UNSUPPORTED_MEDIA_TYPE',
  status: 415,
  message: 'Unsupported Media Type',
  errorType: 'UnsupportedMediaTypeException',
};

export const CONFIGURATION_ERROR: GatewayError = {
  type: 'API_CONFIGURATION_ERROR',
  status: 500,
  message: 'Internal server error',
  errorType: 'InternalServerErrorException',
};

/**
 * The request template for the request's content type (application/json without one); without a match,
 * passthrough decides: when_no_match passes the body through (no template), when_no_templates does so only
 * where there are no templates at all, never refuses with 415.
 */
export function requestTemplate(
  templates: Record<string, string>,
  passthrough: Passthrough,
  contentType: string | undefined,
): { template?: string } | GatewayError {
  const type = mediaType(contentType) ?? 'application/json';
  if (Object.hasOwn(templates, type)) return { template: templates[type] };
  if (passthrough === 'never') return UNSUPPORTED_MEDIA_TYPE;
  if (passthrough === 'when_no_templates' && Object.keys(templates).length > 0) return UNSUPPORTED_MEDIA_TYPE;
  return {};
}

/**
 * The integration response for `selector` (a status code for mock and http, a Lambda error's errorMessage):
 * the first pattern matching all of it, else `default`. A Lambda success (selector undefined) takes `default`.
 */
export function chooseResponse(
  responses: IntegrationResponse[],
  selector: string | undefined,
): IntegrationResponse | undefined {
  if (selector !== undefined)
    for (const r of responses)
      if (r.selectionPattern !== 'default' && fullMatch(r.selectionPattern, selector)) return r;
  return responses.find((r) => r.selectionPattern === 'default');
}

// Patterns come from the document, so there are few; compiling one per request would cost more than matching.
const patterns = new Map<string, RegExp | null>();

function fullMatch(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re !== null && re.test(value);
}

/**
 * The method response from an integration response: headers from its response parameters, the body
 * from the response template for the Accept header (application/json, else the first), or the answer's
 * body as it came when there is no template; `$context.responseOverride` last.
 */
export function methodResponse(
  response: IntegrationResponse,
  request: MethodRequest,
  context: ContextTree,
  answer: IntegrationAnswer,
  overrides: Overrides,
): Reply {
  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(response.responseParameters)) {
    const header = /^method\.response\.header\.(.+)$/.exec(target);
    if (!header) continue;
    const value = mappedValue(source, request, context, answer);
    if (value !== undefined) headers[header[1]] = value;
  }
  const contentType = responseType(response.responseTemplates, request.headers.accept);
  const template = contentType === undefined ? undefined : response.responseTemplates[contentType];
  const compiled = template === undefined ? undefined : compileTemplate(template);
  const body =
    compiled === undefined
      ? answer.body
      : compiled.render(
          compiled.reads.size === 0 ? NO_VARIABLES : templateVariables(answer.body, request, context, overrides),
        );
  for (const [name, value] of Object.entries(overrides.response.header))
    if (value !== undefined && value !== null) headers[name] = String(value);
  const override = Number(overrides.response.status);
  const status = Number.isInteger(override) && override >= 100 && override <= 599 ? override : response.statusCode;
  return { status, headers: { 'content-type': contentType ?? 'application/json', ...headers }, body };
}

function responseType(templates: Record<string, string>, accept: string | string[] | undefined): string | undefined {
  const types = Object.keys(templates);
  if (types.length <= 1) return types[0];
  const accepted = (Array.isArray(accept) ? accept.join(',') : (accept ?? ''))
    .split(',')
    .map((t) => t.split(';')[0].trim().toLowerCase());
  return (
    types.find((t) => accepted.includes(t.toLowerCase())) ??
    types.find((t) => t.toLowerCase() === 'application/json') ??
    types[0]
  );
}
