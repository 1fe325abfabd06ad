// Document rules for what API Gateway (or HTTP itself) refuses and the OpenAPI schema lets through: a mapping
// template over the REST quota, a header parameter without a name, a query string written into a path key.
// Run by lintSpec on the dereferenced document; the AWS evidence for each is cited in aws-refusals.test.ts.
import type { ApiKind, Json, JsonObject } from './types';
import { pointerOf, type ProblemList } from './problems';

/**
 * "Maximum mapping template size: 300 KB" ("Quotas for configuring and running a REST API in API Gateway").
 * Read as 300 × 1024 bytes of UTF-8, the larger reading, so nothing AWS takes is refused here.
 */
export const MAX_MAPPING_TEMPLATE_BYTES = 300 * 1024;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method'];

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function awsRefusals(doc: JsonObject, kind: ApiKind, problems: ProblemList): void {
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    checkParameters(item.parameters, ['paths', path, 'parameters'], problems);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      checkParameters(op.parameters, ['paths', path, method, 'parameters'], problems);
      const integration = op['x-amazon-apigateway-integration'];
      if (kind === 'rest' && isObject(integration))
        checkIntegrationTemplates(integration, ['paths', path, method, 'x-amazon-apigateway-integration'], problems);
    }
  }
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  if (kind === 'rest' && isObject(responses))
    for (const [type, response] of Object.entries(responses))
      if (isObject(response))
        checkTemplates(
          response.responseTemplates,
          ['x-amazon-apigateway-gateway-responses', type, 'responseTemplates'],
          problems,
        );
}

/** A header parameter named '' can never be sent: a field name is one or more token characters (RFC 9110 §5.1). */
function checkParameters(parameters: Json | undefined, at: string[], problems: ProblemList): void {
  if (!Array.isArray(parameters)) return;
  parameters.forEach((p, i) => {
    if (!isObject(p) || typeof p.name !== 'string' || p.name.trim() !== '' || p.in === 'path') return;
    problems.error(
      'parameter-name-empty',
      pointerOf(...at, i, 'name'),
      `This ${typeof p.in === 'string' ? p.in : ''} parameter has an empty name: no request can carry it (an HTTP field name is one or more token characters), and API Gateway has no method.request.${typeof p.in === 'string' ? p.in : 'header'}.<name> to map it to.`,
      'Name the parameter (name: X-Request-Id), or remove it.',
    );
  });
}

function checkIntegrationTemplates(integration: JsonObject, at: string[], problems: ProblemList): void {
  checkTemplates(integration.requestTemplates, [...at, 'requestTemplates'], problems);
  if (!isObject(integration.responses)) return;
  for (const [selection, response] of Object.entries(integration.responses))
    if (isObject(response))
      checkTemplates(response.responseTemplates, [...at, 'responses', selection, 'responseTemplates'], problems);
}

function checkTemplates(templates: Json | undefined, at: string[], problems: ProblemList): void {
  if (!isObject(templates)) return;
  for (const [contentType, template] of Object.entries(templates)) {
    if (typeof template !== 'string') continue;
    const bytes = Buffer.byteLength(template, 'utf8');
    if (bytes <= MAX_MAPPING_TEMPLATE_BYTES) continue;
    problems.error(
      'mapping-template-size',
      pointerOf(...at, contentType),
      `The ${contentType} mapping template has ${bytes.toLocaleString('en-US')} bytes: API Gateway's quota for a REST API's mapping template is 300 KB (${MAX_MAPPING_TEMPLATE_BYTES.toLocaleString('en-US')} bytes), and it cannot be increased.`,
      'Shorten the template: move data it spells out into the backend, or build the body with #foreach over the input instead of writing it out.',
    );
  }
}
