// Checks a document against the OpenAPI schema, every mistake in one go, and says for the mistakes people
// make what is wrong and what to write instead (schema-explain.ts). What API Gateway import accepts although
// the schema does not is accepted here too (acceptedByImport), each case with the AWS page that shows it.
import type { Json, JsonObject, SpecFormat } from './types';
import { explainSchemaErrors, type AjvDetail, type SchemaProblem } from './schema-explain';
import { validateAgainstSchema, validateDereferenced } from './schema-validate';
import type { Dereferenced } from './dereference';

export type { SchemaProblem } from './schema-explain';

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const METHOD_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/**
 * Every schema problem of the document (the bundled body, placeholders unbound); none when it is valid.
 * @param dereferenced the body as dereference.ts read it: validated as it is when the schema reads the body
 * unchanged (nothing for acceptedByImport to fill in) and it holds no cycle, where swagger-parser's dereference
 * (with circular $refs ignored) would build the same graph again, on a copy (0.5 s of a 10,000-operation synth)
 */
export async function schemaProblems(
  doc: JsonObject,
  format: SpecFormat,
  dereferenced?: Dereferenced,
): Promise<SchemaProblem[]> {
  const checked = acceptedByImport(doc, format);
  try {
    // Swagger 2.0's extra checks stop at the first finding; the model and the route-shape rules cover what
    // of them API Gateway cares about, so only the schema runs here, reporting every error (swagger-parser's
    // schema check, its validator compiled once per machine: schema-validate.ts).
    if (checked === doc && dereferenced?.acyclic) validateDereferenced(dereferenced.value);
    // swagger-parser dereferences what it validates in place: a copy, never the body.
    else await validateAgainstSchema(structuredClone(checked));
    return [];
  } catch (error) {
    return explainSchemaErrors(error as { details?: AjvDetail[]; message?: string }, doc, format);
  }
}

/** `value` with `key` set, copied (the document is not changed). */
const withKey = (value: JsonObject, key: string, item: Json): JsonObject => ({ ...value, [key]: item });

/**
 * The document the schema reads: what import accepts although the schema refuses it, filled in so the schema
 * does not report it. The document itself (and so the body API Gateway imports) is not changed: what is filled
 * in is on copies of the objects on its way, and the document comes back as it is when nothing is.
 */
export function acceptedByImport(doc: JsonObject, format: SpecFormat): JsonObject {
  let out = doc;
  // `swagger: 2.0` written as a number is read by the loader as the string (see read.ts); keep it so here too.
  if (typeof out.swagger === 'number') out = withKey(out, 'swagger', '2.0');
  // info.version may be left out: the x-amazon-apigateway-api-key-source page's OpenAPI 2.0 example has
  // `"info": { "title": "Test1" }` and nothing else
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html).
  if (isObject(out.info) && out.info.version === undefined)
    out = withKey(out, 'info', withKey(out.info, 'version', ''));
  // `responses: {}`, or no responses at all: AWS's own examples import so. `"responses": {}` on the
  // x-amazon-apigateway-any-method and x-amazon-apigateway-authorizer examples, and in "Configure a method to
  // use API keys with an OpenAPI definition"; no responses in the x-amazon-apigateway-integrations example
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html,
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html,
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html).
  let paths = isObject(out.paths) ? out.paths : undefined;
  for (const [route, item] of Object.entries(paths ?? {})) {
    if (!isObject(item)) continue;
    let filled = item;
    for (const [key, op] of Object.entries(item)) {
      if (!isObject(op) || !(METHOD_KEYS.includes(key) || key === ANY_METHOD)) continue;
      const responses = op.responses;
      if (responses === undefined || (isObject(responses) && Object.keys(responses).length === 0))
        filled = withKey(filled, key, withKey(op, 'responses', { default: { description: '' } }));
    }
    if (filled !== item && paths) paths = withKey(paths, route, filled);
  }
  if (paths && paths !== out.paths) out = withKey(out, 'paths', paths);
  // An oauth2 scheme without flows that carries a JWT authorizer: the x-amazon-apigateway-authorizer page's
  // HTTP API example is exactly that ("type": "oauth2" and x-amazon-apigateway-authorizer of type jwt, no
  // flows) (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html).
  if (format !== 'swagger-2.0' && isObject(out.components) && isObject(out.components.securitySchemes)) {
    const schemes = out.components.securitySchemes;
    let filled = schemes;
    for (const [name, scheme] of Object.entries(schemes))
      if (
        isObject(scheme) &&
        scheme.type === 'oauth2' &&
        scheme.flows === undefined &&
        isObject(scheme['x-amazon-apigateway-authorizer'])
      )
        filled = withKey(filled, name, withKey(scheme, 'flows', {}));
    if (filled !== schemes) out = withKey(out, 'components', withKey(out.components, 'securitySchemes', filled));
  }
  return out;
}
