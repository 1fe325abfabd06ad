// API-level API Gateway extensions: read into the model where they change a request's outcome (request
// validators, the API key source, binary media types), checked where API Gateway refuses a value, and warned
// of where the API's kind ignores them in a way that weakens security or surprises. All of them stay in the
// body as written, which is what API Gateway imports. Pages: "OpenAPI extensions for API Gateway"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html) and
// "Choose between REST APIs and HTTP APIs" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html).
import type { ApiKind, Json, JsonObject, RequestValidation } from './types';
import { pointerOf, type ProblemList } from './problems';

const VALIDATORS = 'x-amazon-apigateway-request-validators';
const VALIDATOR = 'x-amazon-apigateway-request-validator';
const API_KEY_SOURCE = 'x-amazon-apigateway-api-key-source';
const BINARY_MEDIA_TYPES = 'x-amazon-apigateway-binary-media-types';
const COMPRESSION = 'x-amazon-apigateway-minimum-compression-size';
/** "To enable compression, specify an integer between 0 and 10485760" (x-amazon-apigateway-minimum-compression-size). */
const MAX_COMPRESSION = 10485760;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface RequestValidators {
  byName: Record<string, { body: boolean; parameters: boolean }>;
  /** The API-level x-amazon-apigateway-request-validator, when it names a defined validator. */
  default?: string;
}

/** x-amazon-apigateway-request-validators and the API's default validator. REST only. */
export function readRequestValidators(doc: JsonObject, kind: ApiKind, problems: ProblemList): RequestValidators {
  const out: RequestValidators = { byName: {} };
  const written = doc[VALIDATORS];
  const defaultName = doc[VALIDATOR];
  if (written === undefined && defaultName === undefined) return out;
  if (kind === 'http') {
    // "Request validation": REST ✓, HTTP API — "API Gateway ignores the requestBody and schema fields".
    problems.warning(
      'request-validators-on-http-api',
      pointerOf(written === undefined ? VALIDATOR : VALIDATORS),
      'HTTP APIs do not validate requests: API Gateway ignores the request validators, and requests reach the integration unchecked.',
      'Validate in the integration, or make the API a REST API.',
    );
    return out;
  }
  if (written !== undefined && !isObject(written))
    problems.error(
      'request-validators-shape',
      pointerOf(VALIDATORS),
      `${VALIDATORS} is ${JSON.stringify(written)}, not a map of validator names to their rules.`,
      `Write ${VALIDATORS}: { basic: { validateRequestBody: true, validateRequestParameters: true } }.`,
    );
  for (const [name, rules] of Object.entries(isObject(written) ? written : {})) {
    const at = (...s: string[]) => pointerOf(VALIDATORS, name, ...s);
    const flag = (field: string): boolean => {
      const v = isObject(rules) ? rules[field] : undefined;
      if (v === undefined || typeof v === 'boolean') return v === true;
      problems.error(
        'request-validators-shape',
        at(field),
        `${field} of request validator "${name}" is ${JSON.stringify(v)}, not true or false.`,
        `Write ${field}: true (or false).`,
      );
      return false;
    };
    out.byName[name] = { body: flag('validateRequestBody'), parameters: flag('validateRequestParameters') };
  }
  if (defaultName !== undefined) {
    if (typeof defaultName === 'string' && out.byName[defaultName]) out.default = defaultName;
    else unknownValidator(pointerOf(VALIDATOR), defaultName, out, problems);
  }
  return out;
}

/** The validator that applies to an operation: its own x-amazon-apigateway-request-validator, else the API's. */
export function operationValidation(
  op: JsonObject,
  pointer: string,
  validators: RequestValidators,
  kind: ApiKind,
  problems: ProblemList,
): RequestValidation | undefined {
  const own = op[VALIDATOR];
  if (kind === 'http') {
    if (own !== undefined)
      problems.warning(
        'request-validators-on-http-api',
        `${pointer}/${VALIDATOR}`,
        'HTTP APIs do not validate requests: API Gateway ignores this validator, and requests reach the integration unchecked.',
        'Validate in the integration, or make the API a REST API.',
      );
    return undefined;
  }
  const name = own === undefined ? validators.default : own;
  if (name === undefined) return undefined;
  const rules = typeof name === 'string' ? validators.byName[name] : undefined;
  if (!rules) {
    unknownValidator(`${pointer}/${VALIDATOR}`, name, validators, problems);
    return undefined;
  }
  return { validator: name as string, ...rules };
}

function unknownValidator(at: string, name: Json, validators: RequestValidators, problems: ProblemList): void {
  const defined = Object.keys(validators.byName);
  // The validator is set by name; API Gateway's method takes the id of a validator that exists.
  problems.error(
    'request-validator-unknown',
    at,
    `Request validator ${JSON.stringify(name)} is not defined in ${VALIDATORS}${defined.length ? ` (defined: ${defined.join(', ')})` : ' (there is none)'}, so this would not be validated as written.`,
    `Define it under ${VALIDATORS} (e.g. ${JSON.stringify(name)}: { validateRequestBody: true, validateRequestParameters: true }), or name a defined one.`,
  );
}

/** x-amazon-apigateway-api-key-source: HEADER (default) or AUTHORIZER. REST only. */
export function readApiKeySource(
  doc: JsonObject,
  kind: ApiKind,
  problems: ProblemList,
): 'HEADER' | 'AUTHORIZER' | undefined {
  const written = doc[API_KEY_SOURCE];
  if (written === undefined) return undefined;
  if (kind === 'http') {
    problems.warning(
      'api-key-source-on-http-api',
      pointerOf(API_KEY_SOURCE),
      `HTTP APIs have no API keys; ${API_KEY_SOURCE} is ignored.`,
      'Remove it, or make the API a REST API.',
    );
    return undefined;
  }
  const value = typeof written === 'string' ? written.toUpperCase() : undefined;
  if (value === 'HEADER' || value === 'AUTHORIZER') return value;
  // "Valid values are: HEADER ... AUTHORIZER" (x-amazon-apigateway-api-key-source property).
  problems.error(
    'api-key-source',
    pointerOf(API_KEY_SOURCE),
    `${API_KEY_SOURCE} is ${JSON.stringify(written)}; its valid values are HEADER and AUTHORIZER.`,
    'Write HEADER (the key comes in the X-API-Key header) or AUTHORIZER (a Lambda authorizer returns it as usageIdentifierKey).',
  );
  return undefined;
}

/** x-amazon-apigateway-binary-media-types: "a JSON array" of media types. */
export function readBinaryMediaTypes(doc: JsonObject, kind: ApiKind, problems: ProblemList): string[] {
  const written = doc[BINARY_MEDIA_TYPES];
  if (written === undefined) return [];
  if (!Array.isArray(written) || !written.every((t) => typeof t === 'string')) {
    problems.error(
      'binary-media-types-shape',
      pointerOf(BINARY_MEDIA_TYPES),
      `${BINARY_MEDIA_TYPES} is ${JSON.stringify(written)}, not a list of media types.`,
      `Write ${BINARY_MEDIA_TYPES}: ["application/octet-stream", "image/jpeg"].`,
    );
    return [];
  }
  if (kind === 'http') {
    problems.warning(
      'binary-media-types-on-http-api',
      pointerOf(BINARY_MEDIA_TYPES),
      `HTTP APIs have no binary media types; ${BINARY_MEDIA_TYPES} is ignored (an HTTP API passes a body the Lambda event marks isBase64Encoded by its content).`,
      'Remove it, or make the API a REST API.',
    );
    return [];
  }
  return written as string[];
}

/** API-level extensions the model does not carry: refused where API Gateway refuses them, warned where ignored. */
export function checkApiExtensions(doc: JsonObject, kind: ApiKind, problems: ProblemList): void {
  const compression = doc[COMPRESSION];
  if (compression !== undefined) {
    if (kind === 'http')
      problems.warning(
        'minimum-compression-size-on-http-api',
        pointerOf(COMPRESSION),
        `${COMPRESSION} "Specifies the minimum compression size for a REST API"; an HTTP API ignores it.`,
        'Remove it, or make the API a REST API.',
      );
    else if (!(
      typeof compression === 'number' &&
      Number.isInteger(compression) &&
      compression >= 0 &&
      compression <= MAX_COMPRESSION
    ))
      problems.error(
        'minimum-compression-size',
        pointerOf(COMPRESSION),
        `${COMPRESSION} ${JSON.stringify(compression)} is not a whole number of bytes from 0 to ${MAX_COMPRESSION}.`,
        `Write a number from 0 to ${MAX_COMPRESSION}, e.g. ${COMPRESSION}: 1024.`,
      );
  }
  if (kind === 'http' && doc['x-amazon-apigateway-policy'] !== undefined)
    // "Resource policies aren't currently supported for HTTP APIs" ("Using IAM authorization", HTTP APIs).
    problems.warning(
      'policy-on-http-api',
      '/x-amazon-apigateway-policy',
      'HTTP APIs have no resource policies: API Gateway ignores x-amazon-apigateway-policy, so the access it restricts is not restricted.',
      'Restrict access with authorizers or IAM on the routes, or make the API a REST API.',
    );
  const components = isObject(doc.components) ? doc.components : {};
  if (kind === 'rest' && components['x-amazon-apigateway-integrations'] !== undefined)
    problems.warning(
      'integrations-on-rest-api',
      '/components/x-amazon-apigateway-integrations',
      'x-amazon-apigateway-integrations is "Supported only for HTTP APIs"; whether REST import resolves a $ref to it is unverified.',
      "Write each integration in the operation's x-amazon-apigateway-integration, or make the API an HTTP API.",
    );
  checkImportExportVersion(doc, kind, problems);
}

/** HTTP APIs read x-amazon-apigateway-importexport-version; "1.0" is the only version there is. */
function checkImportExportVersion(doc: JsonObject, kind: ApiKind, problems: ProblemList): void {
  const version = doc['x-amazon-apigateway-importexport-version'];
  if (version === undefined) return;
  if (kind === 'rest')
    problems.warning(
      'importexport-version-on-rest-api',
      '/x-amazon-apigateway-importexport-version',
      'x-amazon-apigateway-importexport-version belongs to HTTP APIs; a REST API (cognito_user_pools authorizer) ignores it.',
      'Remove the extension, or use a jwt authorizer for an HTTP API.',
    );
  else if (version !== '1.0')
    problems.error(
      'importexport-version',
      '/x-amazon-apigateway-importexport-version',
      `x-amazon-apigateway-importexport-version ${JSON.stringify(version)} is not "1.0".`,
      'Write x-amazon-apigateway-importexport-version: "1.0" (quoted, a string).',
    );
}
