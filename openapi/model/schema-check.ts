// Checks a document against the OpenAPI schema, every mistake in one go, and says for the mistakes people
// make what is wrong and what to write instead (schema-explain.ts). What API Gateway import accepts although
// the schema does not is accepted here too (acceptedByImport), each case with the AWS page that shows it.
import type { Json, JsonObject, SpecFormat } from './types';
import { explainSchemaErrors, type AjvDetail, type SchemaProblem } from './schema-explain';
import { validateAgainstSchema } from './schema-validate';

export type { SchemaProblem } from './schema-explain';

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const METHOD_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** Every schema problem of the document (the bundled body, placeholders unbound); none when it is valid. */
export async function schemaProblems(doc: JsonObject, format: SpecFormat): Promise<SchemaProblem[]> {
  const checked = acceptedByImport(structuredClone(doc), format);
  try {
    // Swagger 2.0's extra checks stop at the first finding; the model and the route-shape rules cover what
    // of them API Gateway cares about, so only the schema runs here, reporting every error (swagger-parser's
    // schema check, its validator compiled once per machine: schema-validate.ts).
    await validateAgainstSchema(checked);
    return [];
  } catch (error) {
    return explainSchemaErrors(error as { details?: AjvDetail[]; message?: string }, doc, format);
  }
}

/**
 * The copy the schema reads: what import accepts although the schema refuses it, filled in so the schema does
 * not report it. The document itself (and so the body API Gateway imports) is not changed.
 */
export function acceptedByImport(doc: JsonObject, format: SpecFormat): JsonObject {
  // `swagger: 2.0` written as a number is read by the loader as the string (see read.ts); keep it so here too.
  if (typeof doc.swagger === 'number') doc.swagger = '2.0';
  // info.version may be left out: the x-amazon-apigateway-api-key-source page's OpenAPI 2.0 example has
  // `"info": { "title": "Test1" }` and nothing else
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html).
  if (isObject(doc.info) && doc.info.version === undefined) doc.info.version = '';
  // `responses: {}`, or no responses at all: AWS's own examples import so. `"responses": {}` on the
  // x-amazon-apigateway-any-method and x-amazon-apigateway-authorizer examples, and in "Configure a method to
  // use API keys with an OpenAPI definition"; no responses in the x-amazon-apigateway-integrations example
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html,
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html,
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html).
  for (const item of Object.values(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      if (!isObject(op) || !(METHOD_KEYS.includes(key) || key === ANY_METHOD)) continue;
      const responses = op.responses;
      if (responses === undefined || (isObject(responses) && Object.keys(responses).length === 0))
        op.responses = { default: { description: '' } };
    }
  }
  // An oauth2 scheme without flows that carries a JWT authorizer: the x-amazon-apigateway-authorizer page's
  // HTTP API example is exactly that ("type": "oauth2" and x-amazon-apigateway-authorizer of type jwt, no
  // flows) (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html).
  if (format !== 'swagger-2.0') {
    const components = isObject(doc.components) ? doc.components : {};
    for (const scheme of Object.values(isObject(components.securitySchemes) ? components.securitySchemes : {}))
      if (
        isObject(scheme) &&
        scheme.type === 'oauth2' &&
        scheme.flows === undefined &&
        isObject(scheme['x-amazon-apigateway-authorizer'])
      )
        scheme.flows = {};
  }
  return doc;
}
