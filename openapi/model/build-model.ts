// Builds the API model from a dereferenced document, reporting what API Gateway would refuse at import
// and what this product refuses (an operation that is neither secured nor explicitly public). Route shapes
// are checked in route-shape.ts; rules that need the whole model (how authorizers and operations combine)
// live in rules.ts.
import { createHash } from 'node:crypto';
import type {
  ApiKind,
  ApiModel,
  GatewayResponse,
  Integration,
  IntegrationResponse,
  Json,
  JsonObject,
  Operation,
  OperationMethod,
  ParameterExample,
  RequestBodyExample,
  SpecFormat,
} from './types';
import { pointerOf, ProblemList } from './problems';
import { findPlaceholders } from './placeholders';
import { asParameterString, documentedExample, exampleFromSchema } from './examples';
import { readCors } from './cors';
import { checkRouteShapes } from './route-shape';
import { awsRefusals } from './aws-refusals';
import { apiKind, readSecuritySchemes, type SecuritySchemes } from './security-schemes';
import { readAuth, type AuthContext } from './operation-auth';
import {
  checkApiExtensions,
  operationValidation,
  readApiKeySource,
  readBinaryMediaTypes,
  readRequestValidators,
  type RequestValidators,
} from './api-extensions';

export { STANDARD_SCOPES } from './operation-auth';

const METHODS: Record<string, OperationMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

const INTEGRATION_TYPES = ['mock', 'http_proxy', 'aws_proxy', 'http', 'aws'];
/** HTTP APIs integrate with Lambda (aws_proxy) and HTTP backends (http_proxy) only. */
const HTTP_API_INTEGRATION_TYPES = ['aws_proxy', 'http_proxy'];
const PASSTHROUGH = ['when_no_match', 'when_no_templates', 'never'];
export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
];

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function formatOf(doc: JsonObject): SpecFormat {
  if (doc.swagger !== undefined) return 'swagger-2.0';
  return String(doc.openapi ?? '').startsWith('3.1') ? 'openapi-3.1' : 'openapi-3.0';
}

/** The value as JSON with every object's keys sorted. */
export function canonicalJson(value: Json): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let out = '';
  writeCanonicalJson(value, (text) => (out += text));
  return out;
}

/** SHA-256 of canonicalJson(value), the text hashed in pieces of 64 KB rather than built whole first. */
function canonicalHash(value: Json): string {
  const hash = createHash('sha256');
  let pending = '';
  writeCanonicalJson(value, (text) => {
    pending += text;
    if (pending.length > 65536) {
      hash.update(pending);
      pending = '';
    }
  });
  return hash.update(pending).digest('hex');
}

/**
 * canonicalJson's text, in order, to `write`: 0.18 s of CPU for a 10,000-operation body when it was joined
 * from a string per value. The same text the join gave, undefined included (nothing in an array, `undefined`
 * as an object's value).
 */
function writeCanonicalJson(value: Json, write: (text: string) => void): void {
  // Written out here in pieces of 64 KB: a call per value cost as much as the walk.
  let out = '';
  const visit = (v: Json, inArray: boolean): void => {
    if (out.length > 65536) {
      write(out);
      out = '';
    }
    if (typeof v === 'string') out += quoted(v);
    else if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        visit(v[i], true);
      }
      out += ']';
    } else if (isObject(v)) {
      const keys = Object.keys(v).sort();
      out += '{';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) out += ',';
        out += quoted(keys[i]) + ':';
        visit(v[keys[i]], false);
      }
      out += '}';
    } else {
      const text = JSON.stringify(v) as string | undefined;
      out += text === undefined ? (inArray ? '' : 'undefined') : text;
    }
  };
  visit(value, false);
  write(out);
}

/** What JSON.stringify escapes in a string: `"`, `\`, control characters, surrogates (lone ones escaped). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(text), without its call for the text that needs no escape (nearly all of a document). */
function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * @param deref the document with every `$ref` resolved (for reading)
 * @param body the bundled document (what API Gateway imports)
 */
export function buildModel(
  file: string,
  deref: JsonObject,
  body: JsonObject,
): { model: ApiModel; problems: ProblemList } {
  const problems = new ProblemList(file);
  const format = formatOf(deref);
  const kind = apiKind(deref, format, problems);
  const schemes = readSecuritySchemes(deref, format, kind, problems);
  checkApiExtensions(deref, kind, problems);
  const apiKeySource = readApiKeySource(deref, kind, problems);
  const binaryMediaTypes = readBinaryMediaTypes(deref, kind, problems);
  const validators = readRequestValidators(deref, kind, problems);
  const operations = readOperations(deref, format, kind, schemes, validators, problems);
  checkRouteShapes(deref, format, kind, METHODS, problems);
  awsRefusals(deref, kind, problems);
  const gatewayResponses = readGatewayResponses(deref, kind, problems);
  const cors = readCors(deref, kind, problems);
  const placeholders = findPlaceholders(body, problems);
  checkPlaceholderPlaces(placeholders, problems);
  const scopes = [...new Set(operations.flatMap((o) => (o.auth.kind === 'authorizer' ? o.auth.scopes : [])))].sort();
  const info = isObject(deref.info) ? deref.info : {};
  const model: ApiModel = {
    file,
    format,
    kind,
    title: str(info.title) ?? 'api',
    version: str(info.version) ?? '0',
    authorizers: schemes.authorizers,
    lambdaAuthorizers: schemes.lambdaAuthorizers,
    operations,
    ...(apiKeySource || operations.some(requiresApiKey) ? { apiKeySource: apiKeySource ?? 'HEADER' } : {}),
    binaryMediaTypes,
    gatewayResponses,
    cors,
    placeholders,
    scopes,
    body,
    bodyHash: canonicalHash(body),
  };
  // The caller decides whether a model with errors is usable: lint still runs the model-wide rules on it.
  return { model, problems };
}

function requiresApiKey(op: Operation): boolean {
  return op.auth.kind === 'api_key' || ('apiKeyRequired' in op.auth && op.auth.apiKeyRequired === true);
}

function readOperations(
  doc: JsonObject,
  format: SpecFormat,
  kind: ApiKind,
  schemes: SecuritySchemes,
  validators: RequestValidators,
  problems: ProblemList,
): Operation[] {
  const operations: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const authContext: AuthContext = {
    kind,
    rootSecurity: Array.isArray(doc.security) ? doc.security : undefined,
    schemes,
    misplaced: misplacedSchemes(doc, format),
    problems,
  };
  const rootConsumes = Array.isArray(doc.consumes) ? doc.consumes : [];
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const pathParams = Array.isArray(item.parameters) ? item.parameters.filter(isObject) : [];
    for (const [key, op] of Object.entries(item)) {
      const method = Object.prototype.hasOwnProperty.call(METHODS, key) ? METHODS[key] : undefined;
      if (!method || !isObject(op)) continue;
      const pointer = pointerOf('paths', path, key);
      const operationId = str(op.operationId);
      const id = operationId ?? `${method} ${path}`;
      if (ids.has(id))
        problems.error(
          'operation-id-duplicate',
          pointerOf('paths', path, key, 'operationId'),
          `operationId "${id}" is used twice (also at ${ids.get(id)}).`,
          'Give every operation its own operationId.',
        );
      ids.set(id, pointer);
      const auth = readAuth(op, pointer, authContext);
      const requestValidation = operationValidation(op, pointer, validators, kind, problems);
      const integration = readIntegration(op, kind, pointer, problems);
      if (!auth || !integration) continue;
      const params = [...pathParams, ...(Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [])];
      operations.push({
        id,
        operationId,
        method,
        path,
        pointer,
        auth,
        successStatus: successStatus(op),
        parameters: readParameters(params, path),
        requestBody: readBody(op, params, format, rootConsumes),
        integration,
        ...(requestValidation ? { requestValidation } : {}),
      });
    }
  }
  return operations;
}

/** Names defined under securityDefinitions in an OpenAPI 3 document, which has no such field. */
function misplacedSchemes(doc: JsonObject, format: SpecFormat): string[] {
  return format !== 'swagger-2.0' && isObject(doc.securityDefinitions) ? Object.keys(doc.securityDefinitions) : [];
}

function readIntegration(
  op: JsonObject,
  kind: ApiKind,
  pointer: string,
  problems: ProblemList,
): Integration | undefined {
  const ext = op['x-amazon-apigateway-integration'];
  const at = (...s: string[]) => pointer + pointerOf('x-amazon-apigateway-integration', ...s);
  if (!isObject(ext)) {
    problems.error(
      'integration-missing',
      pointer,
      'The operation has no x-amazon-apigateway-integration: API Gateway would not know where to send the request.',
      'Add x-amazon-apigateway-integration (type mock, http_proxy or aws_proxy).',
    );
    return undefined;
  }
  const type = str(ext.type)?.toLowerCase();
  if (!type || !INTEGRATION_TYPES.includes(type)) {
    problems.error(
      'integration-unsupported-type',
      at('type'),
      `Integration type "${String(ext.type)}" is not one API Gateway knows.`,
      `Use one of ${INTEGRATION_TYPES.join(', ')}.`,
    );
    return undefined;
  }
  if (kind === 'http' && type !== 'mock' && !HTTP_API_INTEGRATION_TYPES.includes(type)) {
    problems.error(
      'integration-type-on-http-api',
      at('type'),
      `HTTP APIs have no ${type} integration.`,
      'Use aws_proxy (Lambda) or http_proxy, or make the API a REST API.',
    );
    return undefined;
  }
  const passthrough = str(ext.passthroughBehavior);
  if (passthrough !== undefined && !PASSTHROUGH.includes(passthrough.toLowerCase()))
    problems.error(
      'integration-passthrough',
      at('passthroughBehavior'),
      `passthroughBehavior "${passthrough}" is not one API Gateway knows.`,
      `Use one of ${PASSTHROUGH.join(', ')}.`,
    );
  const uri = str(ext.uri) ?? '';
  if (type === 'mock') {
    if (kind === 'http') {
      problems.error(
        'integration-mock-on-http-api',
        at('type'),
        'HTTP APIs have no mock integration.',
        'Use aws_proxy (Lambda) or http_proxy, or make the API a REST API.',
      );
      return undefined;
    }
    return {
      type: 'mock',
      requestTemplates: stringMap(ext.requestTemplates),
      responses: readIntegrationResponses(ext.responses),
      passthroughBehavior: passthrough,
    };
  }
  if (!uri) {
    problems.error(
      'integration-uri-missing',
      at(),
      `A ${type} integration needs a uri.`,
      type === 'aws_proxy'
        ? 'Set uri: "{{lambda:<function>}}" or the function\'s invoke ARN.'
        : 'Set uri to the backend URL, e.g. "{{backend:<name>}}/{proxy}".',
    );
    return undefined;
  }
  if (type === 'aws_proxy') {
    const httpMethod = str(ext.httpMethod);
    if (kind === 'rest' && httpMethod?.toUpperCase() !== 'POST')
      problems.error(
        'integration-lambda-method',
        at('httpMethod'),
        'A Lambda proxy integration is invoked with POST; API Gateway refuses any other httpMethod.',
        'Set httpMethod: POST.',
      );
    // AWS's HTTP API examples write it as a number ("payloadFormatVersion": 1.0), which JSON reads as 1.
    const writtenValue = ext.payloadFormatVersion;
    const written = typeof writtenValue === 'number' ? writtenValue.toFixed(1) : str(writtenValue);
    // apigatewayv2 CreateIntegration: "payloadFormatVersion ... Required for HTTP APIs"
    // (https://docs.aws.amazon.com/cli/latest/reference/apigatewayv2/create-integration.html).
    if (kind === 'http' && written === undefined)
      problems.warning(
        'integration-payload-format-missing',
        at(),
        'payloadFormatVersion is not set; HTTP API integrations require it, and gatehouse assumes "2.0".',
        'Set payloadFormatVersion: "2.0" (or "1.0" for the REST-style event).',
      );
    const version = written ?? (kind === 'http' ? '2.0' : '1.0');
    if (version !== '1.0' && version !== '2.0') {
      problems.error(
        'integration-payload-format',
        at('payloadFormatVersion'),
        `payloadFormatVersion "${version}" is not 1.0 or 2.0.`,
        'Use "2.0" (HTTP API default) or "1.0".',
      );
      return undefined;
    }
    if (kind === 'rest' && version === '2.0')
      problems.error(
        'integration-payload-format',
        at('payloadFormatVersion'),
        'REST APIs send Lambda the 1.0 event only.',
        'Remove payloadFormatVersion or set "1.0".',
      );
    const placeholder = /^\{\{\s*lambda:([A-Za-z0-9_-]+)\s*\}\}$/.exec(uri);
    return { type: 'aws_proxy', uri, functionName: placeholder?.[1], payloadFormatVersion: version };
  }
  if (type === 'http_proxy') {
    if (!/^https?:\/\//.test(uri) && !/^\{\{\s*backend:/.test(uri))
      problems.error(
        'integration-uri-format',
        at('uri'),
        `http_proxy uri "${uri}" is not an http(s) URL.`,
        'Write https://host/path or "{{backend:<name>}}/path".',
      );
    return {
      type: 'http_proxy',
      uri,
      httpMethod: str(ext.httpMethod)?.toUpperCase() ?? 'ANY',
      requestParameters: stringMap(ext.requestParameters),
    };
  }
  return { type: type as 'http' | 'aws', uri };
}

function readIntegrationResponses(value: Json | undefined): IntegrationResponse[] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
    .map(([selectionPattern, r]) => ({
      selectionPattern,
      statusCode: Number(r.statusCode ?? 200),
      responseTemplates: stringMap(r.responseTemplates),
      responseParameters: stringMap(r.responseParameters),
    }));
}

function stringMap(value: Json | undefined): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function successStatus(op: JsonObject): number {
  const responses = isObject(op.responses) ? Object.keys(op.responses) : [];
  const codes = responses
    .filter((c) => /^2\d\d$/.test(c))
    .map(Number)
    .sort((a, b) => a - b);
  return codes[0] ?? 200;
}

function readParameters(params: JsonObject[], path: string): ParameterExample[] {
  const byKey = new Map<string, ParameterExample>();
  for (const p of params) {
    const where = str(p.in);
    const name = str(p.name);
    if (!name || (where !== 'path' && where !== 'query' && where !== 'header')) continue;
    const value =
      documentedExample(p) ??
      documentedExample(isObject(p.schema) ? p.schema : undefined) ??
      exampleFromSchema(isObject(p.schema) ? p.schema : p);
    byKey.set(`${where}:${name}`, {
      name,
      in: where,
      required: where === 'path' || p.required === true,
      example: asParameterString(value),
    });
  }
  // Path variables the document did not declare (e.g. {proxy+}) still need a value to call the route.
  for (const m of path.matchAll(/\{([^}+]+)\+?\}/g)) {
    if (!byKey.has(`path:${m[1]}`))
      byKey.set(`path:${m[1]}`, {
        name: m[1],
        in: 'path',
        required: true,
        example: m[0].endsWith('+}') ? 'example/path' : 'example',
      });
  }
  return [...byKey.values()];
}

function readBody(
  op: JsonObject,
  params: JsonObject[],
  format: SpecFormat,
  rootConsumes: Json[],
): RequestBodyExample | undefined {
  if (format === 'swagger-2.0') {
    const body = params.find((p) => p.in === 'body');
    if (!body) return undefined;
    const consumes = (Array.isArray(op.consumes) ? op.consumes : rootConsumes).filter(
      (c): c is string => typeof c === 'string',
    );
    const contentType = consumes.find((c) => c.includes('json')) ?? consumes[0] ?? 'application/json';
    const schema = isObject(body.schema) ? body.schema : undefined;
    return {
      contentType,
      required: body.required === true,
      example: documentedExample(body) ?? exampleFromSchema(schema),
    };
  }
  const requestBody = isObject(op.requestBody) ? op.requestBody : undefined;
  const content = requestBody && isObject(requestBody.content) ? requestBody.content : undefined;
  if (!content) return undefined;
  const contentType = Object.keys(content).find((c) => c.includes('json')) ?? Object.keys(content)[0];
  if (!contentType) return undefined;
  const media = isObject(content[contentType]) ? content[contentType] : {};
  return {
    contentType,
    required: requestBody?.required === true,
    example: documentedExample(media) ?? exampleFromSchema(isObject(media) ? media.schema : undefined),
  };
}

function readGatewayResponses(doc: JsonObject, kind: ApiKind, problems: ProblemList): Record<string, GatewayResponse> {
  const ext = doc['x-amazon-apigateway-gateway-responses'];
  if (ext === undefined) return {};
  if (kind === 'http') {
    // Accepted and ignored ("Custom gateway responses": REST ✓, HTTP API — in "Choose between REST APIs and
    // HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html).
    problems.warning(
      'gateway-responses-on-http-api',
      '/x-amazon-apigateway-gateway-responses',
      'HTTP APIs have no gateway responses: API Gateway ignores this extension, and an HTTP API answers with its own 401, 403 and 404.',
      'Remove x-amazon-apigateway-gateway-responses, or make the API a REST API.',
    );
    return {};
  }
  if (!isObject(ext)) return {};
  const out: Record<string, GatewayResponse> = {};
  for (const [type, value] of Object.entries(ext)) {
    const at = pointerOf('x-amazon-apigateway-gateway-responses', type);
    if (!GATEWAY_RESPONSE_TYPES.includes(type)) {
      problems.error(
        'gateway-response-type',
        at,
        `"${type}" is not a gateway response type.`,
        `Use one of ${GATEWAY_RESPONSE_TYPES.join(', ')}.`,
      );
      continue;
    }
    if (!isObject(value)) continue;
    const headers: Record<string, string> = {};
    for (const [param, v] of Object.entries(stringMap(value.responseParameters))) {
      const m = /^gatewayresponse\.header\.(.+)$/.exec(param);
      if (m) headers[m[1]] = v.replace(/^'(.*)'$/, '$1');
    }
    const statusCode = value.statusCode === undefined ? undefined : Number(value.statusCode);
    if (statusCode !== undefined && !(statusCode >= 100 && statusCode <= 599))
      problems.error(
        'gateway-response-status',
        `${at}/statusCode`,
        `statusCode "${String(value.statusCode)}" is not an HTTP status.`,
        'Use a status such as 401.',
      );
    out[type] = { type, statusCode, headers, templates: stringMap(value.responseTemplates) };
  }
  return out;
}

/**
 * `{{lambda:...}}` stands for a function's invoke URI: an integration's uri (in an operation, or among the
 * reusable components.x-amazon-apigateway-integrations) or a Lambda authorizer's authorizerUri.
 */
const LAMBDA_PLACES = [
  /\/x-amazon-apigateway-integration\/uri$/,
  /^\/components\/x-amazon-apigateway-integrations\/[^/]+\/uri$/,
  /\/x-amazon-apigateway-authorizer\/authorizerUri$/,
];

function checkPlaceholderPlaces(uses: ApiModel['placeholders'], problems: ProblemList): void {
  for (const use of uses) {
    if (use.placeholder.kind === 'lambda' && !LAMBDA_PLACES.some((place) => place.test(use.pointer)))
      problems.error(
        'placeholder-place',
        use.pointer,
        "{{lambda:...}} stands for a function's invoke URI and belongs in an integration's uri or a Lambda authorizer's authorizerUri.",
        'Move it to the integration uri (or the authorizerUri).',
      );
  }
}
