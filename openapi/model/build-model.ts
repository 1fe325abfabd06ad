// Builds the API model from a dereferenced document, reporting what API Gateway would refuse at import
// and what this product refuses (an operation that is neither secured nor explicitly public). Route shapes
// are checked in route-shape.ts; rules that need the whole model (how authorizers and operations combine)
// live in rules.ts.
import { createHash } from 'node:crypto';
import type {
  ApiKind,
  ApiModel,
  Authorizer,
  GatewayResponse,
  Integration,
  IntegrationResponse,
  Json,
  JsonObject,
  Operation,
  OperationAuth,
  OperationMethod,
  ParameterExample,
  RequestBodyExample,
  SpecFormat,
} from './types';
import { pointerOf, ProblemList } from './problems';
import { findPlaceholders, parsePlaceholder } from './placeholders';
import { asParameterString, documentedExample, exampleFromSchema } from './examples';
import { readCors } from './cors';
import { checkRouteShapes } from './route-shape';

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

/** Scopes Cognito defines itself; custom ones are `<resource server>/<scope>`. */
export const STANDARD_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
const CUSTOM_SCOPE = /^[\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+\/[\x21\x23-\x5b\x5d-\x7e]+$/;
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[0-9A-Za-z]+$/;
const INTEGRATION_TYPES = ['mock', 'http_proxy', 'aws_proxy', 'http', 'aws'];
/** HTTP APIs integrate with Lambda (aws_proxy) and HTTP backends (http_proxy) only. */
const HTTP_API_INTEGRATION_TYPES = ['aws_proxy', 'http_proxy'];
/** API Gateway caches an authorizer's result for at most an hour. */
const MAX_AUTHORIZER_TTL = 3600;
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
  if (typeof doc.swagger === 'string') return 'swagger-2.0';
  return String(doc.openapi ?? '').startsWith('3.1') ? 'openapi-3.1' : 'openapi-3.0';
}

export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
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
  const schemes = readSchemes(deref, format);
  const authorizers = readAuthorizers(schemes, format, problems);
  const kind = apiKind(deref, format, schemes, problems);
  checkImportExportVersion(deref, kind, problems);
  const operations = readOperations(deref, format, kind, authorizers, schemes, problems);
  checkRouteShapes(deref, format, kind, METHODS, problems);
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
    authorizers,
    operations,
    gatewayResponses,
    cors,
    placeholders,
    scopes,
    body,
    bodyHash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
  };
  // The caller decides whether a model with errors is usable: lint still runs the model-wide rules on it.
  return { model, problems };
}

interface Schemes {
  byName: Record<string, JsonObject>;
  pointerBase: string[];
}

function readSchemes(doc: JsonObject, format: SpecFormat): Schemes {
  if (format === 'swagger-2.0')
    return {
      byName: isObject(doc.securityDefinitions) ? (doc.securityDefinitions as Record<string, JsonObject>) : {},
      pointerBase: ['securityDefinitions'],
    };
  const components = isObject(doc.components) ? doc.components : {};
  return {
    byName: isObject(components.securitySchemes) ? (components.securitySchemes as Record<string, JsonObject>) : {},
    pointerBase: ['components', 'securitySchemes'],
  };
}

function readAuthorizers(schemes: Schemes, format: SpecFormat, problems: ProblemList): Record<string, Authorizer> {
  const out: Record<string, Authorizer> = {};
  for (const [name, scheme] of Object.entries(schemes.byName)) {
    const at = (...s: string[]) => pointerOf(...schemes.pointerBase, name, ...s);
    const ext = scheme['x-amazon-apigateway-authorizer'];
    if (!isObject(ext)) {
      problems.error(
        'authorizer-missing',
        at(),
        `Security scheme "${name}" has no x-amazon-apigateway-authorizer, so API Gateway would not enforce it.`,
        'Add x-amazon-apigateway-authorizer with type cognito_user_pools (REST API) or jwt (HTTP API), or remove the scheme.',
      );
      continue;
    }
    const type = str(ext.type)?.toLowerCase();
    const authtype = str(scheme['x-amazon-apigateway-authtype']);
    if (authtype !== undefined && type !== undefined && authtype.toLowerCase() !== type) {
      problems.error(
        'authtype-mismatch',
        at('x-amazon-apigateway-authtype'),
        `x-amazon-apigateway-authtype is "${authtype}" but the authorizer's type is "${ext.type}".`,
        `Make them agree: for a Cognito authorizer both are cognito_user_pools.`,
      );
    }
    if (type === 'cognito_user_pools') {
      const cognito = readCognitoAuthorizer(name, scheme, ext, at, problems);
      if (cognito) out[name] = cognito;
    } else if (type === 'jwt') {
      if (format === 'swagger-2.0')
        problems.error(
          'jwt-in-swagger2',
          at('x-amazon-apigateway-authorizer', 'type'),
          'A jwt authorizer belongs to an HTTP API, which imports OpenAPI 3 only.',
          'Write the document as OpenAPI 3.0, or use a cognito_user_pools authorizer for a REST API.',
        );
      const jwt = readJwtAuthorizer(name, ext, at, problems);
      if (jwt) out[name] = jwt;
    } else {
      problems.error(
        'authorizer-unsupported-type',
        at('x-amazon-apigateway-authorizer', 'type'),
        `Authorizer type "${String(ext.type)}" is not supported: gatehouse puts Cognito in front of the API.`,
        'Use type cognito_user_pools (REST API) or jwt (HTTP API).',
      );
    }
  }
  return out;
}

function readCognitoAuthorizer(
  name: string,
  scheme: JsonObject,
  ext: JsonObject,
  at: (...s: string[]) => string,
  problems: ProblemList,
): Authorizer | undefined {
  let header = str(scheme.name) ?? 'Authorization';
  const source = str(ext.identitySource);
  if (source !== undefined) {
    const m = /^method\.request\.header\.([A-Za-z0-9-_]+)$/.exec(source);
    if (m) header = m[1];
    else
      problems.error(
        'authorizer-identity-source',
        at('x-amazon-apigateway-authorizer', 'identitySource'),
        `identitySource "${source}" is not a header: a Cognito authorizer reads its token from one header.`,
        'Write method.request.header.<Name>, e.g. method.request.header.Authorization.',
      );
  } else if (scheme.type !== 'apiKey' || scheme.in !== 'header') {
    problems.error(
      'authorizer-scheme-shape',
      at(),
      `Security scheme "${name}" must be type apiKey, in header, for API Gateway to read the token.`,
      'Set type: apiKey, in: header and name: Authorization (or the header you send the token in).',
    );
  }
  const arns = ext.providerARNs;
  if (!Array.isArray(arns) || arns.length === 0) {
    problems.error(
      'authorizer-provider-arns',
      at('x-amazon-apigateway-authorizer'),
      `Authorizer "${name}" has no providerARNs: API Gateway needs the user pool it trusts.`,
      'Add providerARNs: ["{{userPoolArn}}"] to bind the pool the module creates, or the ARN of an existing pool.',
    );
    return undefined;
  }
  const providerArns: string[] = [];
  arns.forEach((arn, i) => {
    const value = str(arn);
    const placeholder = value ? /^\{\{\s*(.*?)\s*\}\}$/.exec(value) : null;
    if (value && placeholder && parsePlaceholder(placeholder[1])?.kind === 'userPoolArn') providerArns.push(value);
    else if (value && USER_POOL_ARN.test(value)) providerArns.push(value);
    else
      problems.error(
        'authorizer-provider-arn-format',
        at('x-amazon-apigateway-authorizer', 'providerARNs', String(i)),
        `"${String(arn)}" is neither a user pool ARN nor {{userPoolArn}}.`,
        'Write arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>, or {{userPoolArn}} for the pool the module creates.',
      );
  });
  if (providerArns.length === 0) return undefined;
  const regex = str(ext.identityValidationExpression);
  if (regex !== undefined) {
    try {
      new RegExp(regex);
    } catch {
      problems.error(
        'authorizer-validation-regex',
        at('x-amazon-apigateway-authorizer', 'identityValidationExpression'),
        `identityValidationExpression "${regex}" is not a valid regular expression.`,
        'Fix the expression, e.g. ^{{clientId:web}}$ or ^[a-z0-9]{26}$.',
      );
    }
  }
  const ttl = ext.authorizerResultTtlInSeconds;
  if (ttl !== undefined && !(typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0 && ttl <= MAX_AUTHORIZER_TTL))
    problems.error(
      'authorizer-ttl',
      at('x-amazon-apigateway-authorizer', 'authorizerResultTtlInSeconds'),
      `authorizerResultTtlInSeconds ${JSON.stringify(ttl)} is not a whole number of seconds from 0 to ${MAX_AUTHORIZER_TTL}.`,
      'Use 0 (no caching) up to 3600; 300 is the API Gateway default.',
    );
  return {
    kind: 'cognito_user_pools',
    name,
    pointer: at(),
    tokenHeader: header.toLowerCase(),
    identityValidationExpression: regex,
    providerArns,
    resultTtlSeconds: typeof ttl === 'number' ? ttl : undefined,
  };
}

function readJwtAuthorizer(
  name: string,
  ext: JsonObject,
  at: (...s: string[]) => string,
  problems: ProblemList,
): Authorizer | undefined {
  const source = str(ext.identitySource) ?? '$request.header.Authorization';
  const header = /^\$request\.header\.([A-Za-z0-9-_]+)$/.exec(source);
  if (!header)
    problems.error(
      'authorizer-identity-source',
      at('x-amazon-apigateway-authorizer', 'identitySource'),
      `identitySource "${source}" is not a header: a jwt authorizer reads its token from one header.`,
      'Write $request.header.Authorization.',
    );
  const config = isObject(ext.jwtConfiguration) ? ext.jwtConfiguration : undefined;
  // Point at the deepest object that exists, so an editor can jump to it.
  const configAt = config
    ? at('x-amazon-apigateway-authorizer', 'jwtConfiguration')
    : at('x-amazon-apigateway-authorizer');
  const issuer = config ? str(config.issuer) : undefined;
  const audience =
    config && Array.isArray(config.audience) ? config.audience.filter((a): a is string => typeof a === 'string') : [];
  if (!issuer)
    problems.error(
      'jwt-issuer-missing',
      configAt,
      `jwt authorizer "${name}" has no jwtConfiguration.issuer.`,
      'Add issuer: "{{issuer}}" to bind the pool the module creates, or https://cognito-idp.<region>.amazonaws.com/<pool id>.',
    );
  else if (
    !/^https:\/\/[^\s/]+/.test(issuer) &&
    parsePlaceholder(issuer.replace(/^\{\{\s*|\s*\}\}$/g, ''))?.kind !== 'issuer'
  )
    problems.error(
      'jwt-issuer-format',
      at('x-amazon-apigateway-authorizer', 'jwtConfiguration', 'issuer'),
      `Issuer "${issuer}" is neither an https URL nor {{issuer}}: API Gateway fetches the signing keys from <issuer>/.well-known/jwks.json.`,
      'Write "{{issuer}}" for the pool the module creates, or https://cognito-idp.<region>.amazonaws.com/<pool id>.',
    );
  if (audience.length === 0)
    problems.error(
      'jwt-audience-missing',
      configAt,
      `jwt authorizer "${name}" has no jwtConfiguration.audience: every token would be refused.`,
      'Add audience: ["{{clientId:web}}"] with the app clients whose tokens this API accepts.',
    );
  if (!header || !issuer || audience.length === 0) return undefined;
  return { kind: 'jwt', name, pointer: at(), tokenHeader: header[1].toLowerCase(), issuer, audience };
}

/** From the authorizer types as written, so a broken authorizer still tells which kind of API this is. */
function apiKind(doc: JsonObject, format: SpecFormat, schemes: Schemes, problems: ProblemList): ApiKind {
  const namesByType = new Map<string, string[]>();
  for (const [name, scheme] of Object.entries(schemes.byName)) {
    const ext = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    const type = isObject(ext) ? str(ext.type)?.toLowerCase() : undefined;
    if (type === 'jwt' || type === 'cognito_user_pools')
      namesByType.set(type, [...(namesByType.get(type) ?? []), name]);
  }
  if (namesByType.size > 1) {
    const list = [...namesByType].map(([type, names]) => `${type}: ${names.join(', ')}`).join('; ');
    problems.error(
      'api-kind-mixed',
      pointerOf(...schemes.pointerBase),
      `The document mixes REST (cognito_user_pools) and HTTP API (jwt) authorizers (${list}); one API is one or the other.`,
      'Keep one kind of authorizer: cognito_user_pools for a REST API, jwt for an HTTP API.',
    );
    return 'rest';
  }
  if (namesByType.has('jwt')) return 'http';
  if (namesByType.has('cognito_user_pools') || format === 'swagger-2.0') return 'rest';
  return doc['x-amazon-apigateway-importexport-version'] !== undefined ? 'http' : 'rest';
}

function readOperations(
  doc: JsonObject,
  format: SpecFormat,
  kind: ApiKind,
  authorizers: Record<string, Authorizer>,
  schemes: Schemes,
  problems: ProblemList,
): Operation[] {
  const operations: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const rootSecurity = Array.isArray(doc.security) ? doc.security : undefined;
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
      const auth = readAuth(op, rootSecurity, authorizers, pointer, schemes, misplacedSchemes(doc, format), problems);
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
      });
    }
  }
  return operations;
}

/** Names defined under securityDefinitions in an OpenAPI 3 document, which has no such field. */
function misplacedSchemes(doc: JsonObject, format: SpecFormat): string[] {
  return format !== 'swagger-2.0' && isObject(doc.securityDefinitions) ? Object.keys(doc.securityDefinitions) : [];
}

function readAuth(
  op: JsonObject,
  rootSecurity: Json[] | undefined,
  authorizers: Record<string, Authorizer>,
  pointer: string,
  schemes: Schemes,
  misplaced: string[],
  problems: ProblemList,
): OperationAuth | undefined {
  const own = Array.isArray(op.security) ? op.security : undefined;
  if (own && own.length === 0) return { kind: 'public' };
  // Secure by default: a root `security: []` does not make every operation public; each says so itself.
  const security = own ?? (rootSecurity && rootSecurity.length > 0 ? rootSecurity : undefined);
  const at = own ? `${pointer}/security` : '/security';
  if (!security) {
    const why = rootSecurity ? ' (the root security: [] does not make operations public)' : '';
    problems.error(
      'security-missing',
      pointer,
      `The operation has no security and is not marked public${why}, so it would be open to anyone.`,
      'Add security: [{<scheme>: []}] (with scopes if it needs them), or security: [] on the operation to make it public on purpose.',
    );
    return undefined;
  }
  if (security.length > 1) {
    problems.error(
      'security-alternatives',
      at,
      'API Gateway applies one authorizer per method; alternatives (several security requirements) are not enforced as written.',
      'Keep one security requirement on the operation.',
    );
    return undefined;
  }
  const requirement = security[0];
  const names = isObject(requirement) ? Object.keys(requirement) : [];
  if (!isObject(requirement) || names.length !== 1) {
    problems.error(
      'security-requirement-shape',
      `${at}/0`,
      names.length === 0
        ? 'An empty security requirement makes authentication optional, which API Gateway cannot express.'
        : 'A security requirement naming several schemes cannot be enforced: API Gateway runs one authorizer per method.',
      'Name exactly one security scheme, e.g. security: [{CognitoAuth: []}].',
    );
    return undefined;
  }
  const scheme = names[0];
  const scopesValue = requirement[scheme];
  const scopes = Array.isArray(scopesValue) ? scopesValue.filter((s): s is string => typeof s === 'string') : [];
  if (!authorizers[scheme]) {
    // A defined scheme whose authorizer is broken was reported where it is defined; one under an OpenAPI 3
    // document's securityDefinitions, where securityDefinitions is reported (schema-explain.ts).
    if (!schemes.byName[scheme] && !misplaced.includes(scheme)) {
      const defined = Object.keys(schemes.byName);
      problems.error(
        'security-unknown-scheme',
        at + pointerOf('0', scheme),
        `Security scheme "${scheme}" is not defined${defined.length ? ` (defined: ${defined.join(', ')})` : ''}.`,
        `Define it under ${pointerOf(...schemes.pointerBase)} with an x-amazon-apigateway-authorizer, or use a defined scheme.`,
      );
    }
    return undefined;
  }
  scopes.forEach((scope, i) => {
    if (!STANDARD_SCOPES.includes(scope) && !CUSTOM_SCOPE.test(scope))
      problems.error(
        'scope-format',
        at + pointerOf('0', scheme, String(i)),
        `Scope "${scope}" is neither a Cognito scope nor <resource server>/<scope>.`,
        'Write custom scopes as <resource server identifier>/<scope name>, e.g. pets/purchase.',
      );
  });
  return { kind: 'authorizer', authorizer: scheme, scopes, pointer: at + pointerOf('0', scheme) };
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
    const written = str(ext.payloadFormatVersion);
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
    problems.error(
      'gateway-responses-on-http-api',
      '/x-amazon-apigateway-gateway-responses',
      'HTTP APIs have no gateway responses; this extension would be ignored.',
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

/** userPoolArn and issuer placeholders only make sense where the authorizer reads them. */
function checkPlaceholderPlaces(uses: ApiModel['placeholders'], problems: ProblemList): void {
  for (const use of uses) {
    if (use.placeholder.kind === 'lambda' && !use.pointer.endsWith('/x-amazon-apigateway-integration/uri'))
      problems.error(
        'placeholder-place',
        use.pointer,
        '{{lambda:...}} stands for an integration URI and belongs in x-amazon-apigateway-integration.uri.',
        'Move it to the integration uri.',
      );
  }
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
