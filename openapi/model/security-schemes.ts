// Reads the document's security schemes as API Gateway imports them: a Cognito, JWT or Lambda authorizer
// (x-amazon-apigateway-authorizer), IAM (x-amazon-apigateway-authtype: awsSigv4), or the API key scheme
// (apiKey named x-api-key). A scheme that is none of these is not enforced by API Gateway, and is refused.
// Also decides from the authorizers whether the document is a REST or an HTTP API.
import { compileJavaRegex } from './java-regex';
import type {
  ApiKind,
  Authorizer,
  CognitoAuthorizer,
  Json,
  JsonObject,
  JwtAuthorizer,
  LambdaAuthorizer,
  SpecFormat,
} from './types';
import { pointerOf, type ProblemList } from './problems';
import { parsePlaceholder } from './placeholders';
import { AWS_IMPORT_VARIABLE } from './aws-variables';

/** API Gateway caches an authorizer's result for at most an hour. */
const MAX_AUTHORIZER_TTL = 3600;
/** API Gateway's default authorizerResultTtlInSeconds. */
const DEFAULT_AUTHORIZER_TTL = 300;
/** A user pool ARN; the partition, region and account may be AWS import variables, resolved at import. */
const USER_POOL_ARN = new RegExp(
  `^arn:(aws[a-z-]*|${AWS_IMPORT_VARIABLE.partition}):cognito-idp:([a-z0-9-]+|${AWS_IMPORT_VARIABLE.region}):(\\d{12}|${AWS_IMPORT_VARIABLE.accountId}):userpool/([a-z0-9-]+|${AWS_IMPORT_VARIABLE.region})_[0-9A-Za-z]+$`,
);
const LAMBDA_PLACEHOLDER = /^\{\{\s*lambda:([A-Za-z0-9_-]+)\s*\}\}$/;
/** "the term awsSigv4 is a reserved term, along with any term prefixed by aws" (x-amazon-apigateway-authtype page). */
const IAM_AUTHTYPE = /^awsSigv4$/i;
/** REST Lambda authorizer identity sources (CreateAuthorizer identitySource). */
const REST_IDENTITY_SOURCE =
  /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;
/** HTTP API identity sources ("Identity sources" in "Working with AWS Lambda authorizers for HTTP APIs"). */
const HTTP_IDENTITY_SOURCE = /^\$(request\.(header|querystring)\.[^\s,]+|context\.[^\s,]+|stageVariables\.[^\s,]+)$/;

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export interface SecuritySchemes {
  byName: Record<string, JsonObject>;
  pointerBase: string[];
  authorizers: Record<string, Authorizer>;
  lambdaAuthorizers: Record<string, LambdaAuthorizer>;
  /** Schemes with `x-amazon-apigateway-authtype: awsSigv4`. */
  iam: string[];
  /** API key schemes: type apiKey, name x-api-key, no authorizer. */
  apiKeys: string[];
}

/** How API Gateway reads one scheme, from what it is written with; undefined when it reads nothing. */
type SchemeClass = 'cognito_user_pools' | 'jwt' | 'token' | 'request' | 'iam' | 'api_key' | 'other-authorizer';

function classify(scheme: JsonObject): SchemeClass | undefined {
  const ext = scheme['x-amazon-apigateway-authorizer'];
  if (isObject(ext)) {
    const type = str(ext.type)?.toLowerCase();
    return type === 'cognito_user_pools' || type === 'jwt' || type === 'token' || type === 'request'
      ? type
      : 'other-authorizer';
  }
  const authtype = str(scheme['x-amazon-apigateway-authtype']);
  if (authtype !== undefined && IAM_AUTHTYPE.test(authtype)) return 'iam';
  if (isApiKeyScheme(scheme)) return 'api_key';
  return undefined;
}

/**
 * The scheme API Gateway takes for "this method requires an API key": "define api_key in the security
 * definition" as type apiKey, name x-api-key ("Configure a method to use API keys with an OpenAPI definition",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html). LocalStack's
 * importer recognises it the same way: no authorizer, type apiKey, name x-api-key in any case.
 */
function isApiKeyScheme(scheme: JsonObject): boolean {
  return scheme.type === 'apiKey' && str(scheme.name)?.toLowerCase() === 'x-api-key';
}

export function schemesOf(doc: JsonObject, format: SpecFormat): Pick<SecuritySchemes, 'byName' | 'pointerBase'> {
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

/** REST-only and HTTP-only ways of authorizing, by scheme: which kind of API the document is. */
function kindSignal(scheme: JsonObject, cls: SchemeClass | undefined): ApiKind | undefined {
  if (cls === 'jwt') return 'http';
  if (cls === 'cognito_user_pools' || cls === 'token') return 'rest';
  if (cls === 'request') {
    const ext = scheme['x-amazon-apigateway-authorizer'] as JsonObject;
    const source = ext.identitySource;
    const httpOnly =
      ext.authorizerPayloadFormatVersion !== undefined ||
      ext.enableSimpleResponses !== undefined ||
      Array.isArray(source) ||
      (typeof source === 'string' && source.trim().startsWith('$'));
    return httpOnly ? 'http' : undefined;
  }
  return undefined;
}

/** From the authorizers as written, so a broken authorizer still tells which kind of API this is. */
export function apiKind(doc: JsonObject, format: SpecFormat, problems: ProblemList): ApiKind {
  const { byName, pointerBase } = schemesOf(doc, format);
  const namesByKind = new Map<ApiKind, string[]>();
  for (const [name, scheme] of Object.entries(byName)) {
    if (!isObject(scheme)) continue;
    const signal = kindSignal(scheme, classify(scheme));
    if (signal) namesByKind.set(signal, [...(namesByKind.get(signal) ?? []), name]);
  }
  if (namesByKind.size > 1) {
    problems.error(
      'api-kind-mixed',
      pointerOf(...pointerBase),
      `The document mixes REST API authorizers (cognito_user_pools or a token Lambda authorizer: ${namesByKind.get('rest')!.join(', ')}) and HTTP API authorizers (jwt, or a Lambda authorizer with authorizerPayloadFormatVersion or $request identity sources: ${namesByKind.get('http')!.join(', ')}); one API is one or the other.`,
      'Keep one kind of authorizer: cognito_user_pools for a REST API, jwt for an HTTP API.',
    );
    return 'rest';
  }
  if (namesByKind.has('http')) return 'http';
  if (namesByKind.has('rest') || format === 'swagger-2.0') return 'rest';
  // Both are HTTP API extensions ("x-amazon-apigateway-importexport-version", "x-amazon-apigateway-integrations
  // object": "Supported only for HTTP APIs").
  const components = isObject(doc.components) ? doc.components : {};
  return doc['x-amazon-apigateway-importexport-version'] !== undefined ||
    components['x-amazon-apigateway-integrations'] !== undefined
    ? 'http'
    : 'rest';
}

export function readSecuritySchemes(
  doc: JsonObject,
  format: SpecFormat,
  kind: ApiKind,
  problems: ProblemList,
): SecuritySchemes {
  const out: SecuritySchemes = {
    ...schemesOf(doc, format),
    authorizers: {},
    lambdaAuthorizers: {},
    iam: [],
    apiKeys: [],
  };
  for (const [name, scheme] of Object.entries(out.byName)) {
    if (!isObject(scheme)) continue;
    const at = (...s: string[]) => pointerOf(...out.pointerBase, name, ...s);
    const cls = classify(scheme);
    const ext = scheme['x-amazon-apigateway-authorizer'];
    const authtype = str(scheme['x-amazon-apigateway-authtype']);
    if (isObject(ext) && authtype !== undefined && IAM_AUTHTYPE.test(authtype)) {
      // Whether API Gateway then signs-checks the request or runs the authorizer is not documented.
      problems.error(
        'authtype-iam-with-authorizer',
        at('x-amazon-apigateway-authtype'),
        `Security scheme "${name}" is both IAM (x-amazon-apigateway-authtype: ${authtype}) and an authorizer of type "${String(ext.type)}": API Gateway applies one, and which one is not documented.`,
        'Keep one: remove x-amazon-apigateway-authtype for the authorizer, or the x-amazon-apigateway-authorizer for IAM.',
      );
      continue;
    }
    switch (cls) {
      case undefined:
        problems.error(
          'authorizer-missing',
          at(),
          `Security scheme "${name}" has no x-amazon-apigateway-authorizer and is neither IAM nor the API key scheme, so API Gateway would not enforce it.`,
          'Add x-amazon-apigateway-authorizer (type cognito_user_pools for a REST API, jwt for an HTTP API, or token / request for a Lambda authorizer), or x-amazon-apigateway-authtype: awsSigv4 for IAM; or remove the scheme.',
        );
        break;
      case 'iam':
        out.iam.push(name);
        break;
      case 'api_key':
        out.apiKeys.push(name);
        // "HEADER for receiving the API key from the X-API-Key header of a request" (x-amazon-apigateway-api-key-source).
        if (scheme.in !== 'header')
          problems.warning(
            'api-key-in',
            at('in'),
            `API key scheme "${name}" says in: ${JSON.stringify(scheme.in ?? null)}, but API Gateway reads the key from the x-api-key header only: a key sent elsewhere is not seen (403).`,
            'Write in: header.',
          );
        break;
      case 'cognito_user_pools': {
        const cognito = readCognitoAuthorizer(name, scheme, ext as JsonObject, at, problems);
        if (cognito) out.authorizers[name] = cognito;
        break;
      }
      case 'jwt': {
        if (format === 'swagger-2.0')
          problems.error(
            'jwt-in-swagger2',
            at('x-amazon-apigateway-authorizer', 'type'),
            'A jwt authorizer belongs to an HTTP API, which imports OpenAPI 3 only.',
            'Write the document as OpenAPI 3.0, or use a cognito_user_pools authorizer for a REST API.',
          );
        const jwt = readJwtAuthorizer(name, scheme, ext as JsonObject, at, problems);
        if (jwt) out.authorizers[name] = jwt;
        break;
      }
      case 'token':
      case 'request': {
        const lambda = readLambdaAuthorizer(name, scheme, ext as JsonObject, cls, kind, at, problems);
        if (lambda) out.lambdaAuthorizers[name] = lambda;
        break;
      }
      case 'other-authorizer':
        problems.error(
          'authorizer-unsupported-type',
          at('x-amazon-apigateway-authorizer', 'type'),
          `Authorizer type ${JSON.stringify((ext as JsonObject).type ?? null)} is not one API Gateway has.`,
          'Use type cognito_user_pools (REST API), jwt (HTTP API), or token / request (Lambda authorizer).',
        );
        break;
    }
  }
  return out;
}

/** authorizerResultTtlInSeconds: a number, or a numeric string (the extension's page types it "string"). */
function readTtl(ext: JsonObject, at: (...s: string[]) => string, problems: ProblemList): number | undefined {
  const written = ext.authorizerResultTtlInSeconds;
  if (written === undefined) return undefined;
  const ttl = typeof written === 'string' && /^\d+$/.test(written) ? Number(written) : written;
  if (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0 && ttl <= MAX_AUTHORIZER_TTL) return ttl;
  problems.error(
    'authorizer-ttl',
    at('x-amazon-apigateway-authorizer', 'authorizerResultTtlInSeconds'),
    `authorizerResultTtlInSeconds ${JSON.stringify(written)} is not a whole number of seconds from 0 to ${MAX_AUTHORIZER_TTL}.`,
    'Use 0 (no caching) up to 3600; 300 is the API Gateway default.',
  );
  return undefined;
}

function readValidationRegex(
  ext: JsonObject,
  at: (...s: string[]) => string,
  problems: ProblemList,
): string | undefined {
  const regex = str(ext.identityValidationExpression);
  if (regex === undefined) return undefined;
  // API Gateway compiles the bound expression as a Java regex; a placeholder stands for a client id (letters
  // and digits), so a plain letter takes its place here.
  const compiled = compileJavaRegex(regex.replace(/\{\{\s*[^{}]*?\s*\}\}/g, 'x'));
  if (!compiled.ok)
    problems.error(
      'authorizer-validation-regex',
      at('x-amazon-apigateway-authorizer', 'identityValidationExpression'),
      `identityValidationExpression "${regex}" is refused: ${compiled.reason}. API Gateway matches it as a Java regular expression against the whole "aud" claim.`,
      compiled.fix,
    );
  return regex;
}

function readCognitoAuthorizer(
  name: string,
  scheme: JsonObject,
  ext: JsonObject,
  at: (...s: string[]) => string,
  problems: ProblemList,
): CognitoAuthorizer | undefined {
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
        `${JSON.stringify(arn)} is neither a user pool ARN nor {{userPoolArn}}.`,
        'Write arn:aws:cognito-idp:<region>:<account>:userpool/<pool id> (${AWS::Region} and ${AWS::AccountId} may stand for the region and account), or {{userPoolArn}} for the pool the module creates.',
      );
  });
  if (providerArns.length === 0) return undefined;
  const regex = readValidationRegex(ext, at, problems);
  const ttl = readTtl(ext, at, problems);
  return {
    kind: 'cognito_user_pools',
    name,
    pointer: at(),
    tokenHeader: header.toLowerCase(),
    identityValidationExpression: regex,
    providerArns,
    resultTtlSeconds: ttl,
  };
}

function readJwtAuthorizer(
  name: string,
  scheme: JsonObject,
  ext: JsonObject,
  at: (...s: string[]) => string,
  problems: ProblemList,
): JwtAuthorizer | undefined {
  const source = str(ext.identitySource) ?? '$request.header.Authorization';
  // A JWT authorizer reads one identity source: a header, or (AWS's own example for WebSocket-style clients) the
  // query string, e.g. $request.querystring.access_token.
  const m = /^\$request\.(header|querystring)\.([A-Za-z0-9-_.]+)$/.exec(source.trim());
  if (!m)
    problems.error(
      'authorizer-identity-source',
      at('x-amazon-apigateway-authorizer', 'identitySource'),
      `identitySource "${source}" is neither a header nor a query string parameter: a jwt authorizer reads its token from one of them.`,
      'Write $request.header.Authorization (or $request.querystring.<name>).',
    );
  const config = isObject(ext.jwtConfiguration) ? ext.jwtConfiguration : undefined;
  // Point at the deepest object that exists, so an editor can jump to it.
  const configAt = config
    ? at('x-amazon-apigateway-authorizer', 'jwtConfiguration')
    : at('x-amazon-apigateway-authorizer');
  // "this example uses the OpenAPI openIdConnectUrl property to automatically detect the issuer"
  // (x-amazon-apigateway-authorizer page, HTTP API examples).
  const discovery = scheme.type === 'openIdConnect' ? str(scheme.openIdConnectUrl) : undefined;
  const issuer =
    (config ? str(config.issuer) : undefined) ?? discovery?.replace(/\/\.well-known\/openid-configuration\/?$/, '');
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
      config && str(config.issuer) !== undefined
        ? at('x-amazon-apigateway-authorizer', 'jwtConfiguration', 'issuer')
        : at('openIdConnectUrl'),
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
  if (!m || !issuer || audience.length === 0) return undefined;
  const tokenSource = { in: m[1] as 'header' | 'querystring', name: m[1] === 'header' ? m[2].toLowerCase() : m[2] };
  return {
    kind: 'jwt',
    name,
    pointer: at(),
    tokenSource,
    tokenHeader: tokenSource.in === 'header' ? tokenSource.name : '',
    issuer,
    audience,
  };
}

/**
 * A Lambda authorizer, as "x-amazon-apigateway-authorizer object" and "Working with AWS Lambda authorizers for
 * HTTP APIs" describe it (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 */
function readLambdaAuthorizer(
  name: string,
  scheme: JsonObject,
  ext: JsonObject,
  type: 'token' | 'request',
  kind: ApiKind,
  at: (...s: string[]) => string,
  problems: ProblemList,
): LambdaAuthorizer | undefined {
  const extAt = (...s: string[]) => at('x-amazon-apigateway-authorizer', ...s);
  let usable = true;
  if (kind === 'http' && type === 'token') {
    problems.error(
      'authorizer-type-on-http-api',
      extAt('type'),
      'HTTP APIs have request Lambda authorizers only ("For HTTP APIs, specify request for a Lambda authorizer").',
      'Write type: request with identitySource: $request.header.Authorization.',
    );
    usable = false;
  }
  const uri = str(ext.authorizerUri);
  if (!uri) {
    problems.error(
      'authorizer-uri-missing',
      extAt(),
      `Lambda authorizer "${name}" has no authorizerUri: API Gateway would not know which function to call.`,
      'Set authorizerUri: "{{lambda:<function>}}", or the function\'s invoke URI arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations.',
    );
    usable = false;
  }
  const ttl = readTtl(ext, at, problems);
  const resultTtlSeconds = ttl ?? DEFAULT_AUTHORIZER_TTL;
  const identitySources = readIdentitySources(name, scheme, ext, type, kind, resultTtlSeconds, at, problems);
  if (!identitySources) usable = false;
  let payloadFormatVersion: '1.0' | '2.0' | undefined;
  let simpleResponses = false;
  if (kind === 'http') {
    const written = ext.authorizerPayloadFormatVersion;
    const version = typeof written === 'number' ? written.toFixed(1) : written;
    if (written === undefined)
      // "If you create a Lambda authorizer by using the AWS CLI, AWS CloudFormation, or an SDK, you must specify an
      // authorizerPayloadFormatVersion."
      problems.warning(
        'authorizer-payload-format-missing',
        extAt(),
        `Lambda authorizer "${name}" has no authorizerPayloadFormatVersion; gatehouse assumes "2.0", the console's default.`,
        'Set authorizerPayloadFormatVersion: "2.0" (or "1.0" for the REST-style event and an IAM policy answer).',
      );
    else if (version !== '1.0' && version !== '2.0') {
      problems.error(
        'authorizer-payload-format',
        extAt('authorizerPayloadFormatVersion'),
        `authorizerPayloadFormatVersion ${JSON.stringify(written)} is not "1.0" or "2.0".`,
        'Write "2.0" (or "1.0").',
      );
      usable = false;
    }
    payloadFormatVersion = version === '1.0' ? '1.0' : '2.0';
    simpleResponses = ext.enableSimpleResponses === true;
    if (simpleResponses && payloadFormatVersion === '1.0')
      problems.error(
        'authorizer-simple-responses',
        extAt('enableSimpleResponses'),
        'enableSimpleResponses is "Supported only for authorizers with an authorizerPayloadFormatVersion of 2.0".',
        'Set authorizerPayloadFormatVersion: "2.0", or remove enableSimpleResponses.',
      );
  }
  const regex = type === 'token' ? readValidationRegex(ext, at, problems) : undefined;
  if (!usable || !uri || !identitySources) return undefined;
  return {
    kind: 'lambda',
    name,
    pointer: at(),
    type,
    uri,
    functionName: LAMBDA_PLACEHOLDER.exec(uri)?.[1],
    identitySources,
    identityValidationExpression: regex,
    resultTtlSeconds,
    payloadFormatVersion,
    simpleResponses,
    credentials: str(ext.authorizerCredentials),
  };
}

function readIdentitySources(
  name: string,
  scheme: JsonObject,
  ext: JsonObject,
  type: 'token' | 'request',
  kind: ApiKind,
  ttl: number,
  at: (...s: string[]) => string,
  problems: ProblemList,
): string[] | undefined {
  const sourceAt = at('x-amazon-apigateway-authorizer', 'identitySource');
  const written = ext.identitySource;
  const sources = (
    Array.isArray(written)
      ? written.filter((s): s is string => typeof s === 'string')
      : (str(written)?.split(',') ?? [])
  )
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (type === 'token') {
    // A token authorizer reads the header its scheme names (the example: "name": "Authorization", "in": "header").
    const header = /^method\.request\.header\.([A-Za-z0-9-_]+)$/.exec(sources[0] ?? '')?.[1] ?? str(scheme.name);
    if (sources.length > 1 || (sources.length === 1 && !/^method\.request\.header\./.test(sources[0]))) {
      problems.error(
        'authorizer-identity-source',
        sourceAt,
        `identitySource "${sources.join(', ')}" is not one header: a token authorizer reads its token from one header.`,
        'Write method.request.header.<Name>, or use type: request for several identity sources.',
      );
      return undefined;
    }
    if (sources.length === 0 && (scheme.in !== 'header' || !header)) {
      problems.error(
        'authorizer-scheme-shape',
        at(),
        `Security scheme "${name}" must be type apiKey, in header, with the header's name, for its token authorizer to read the token.`,
        'Set type: apiKey, in: header and name: Authorization (or the header you send the token in).',
      );
      return undefined;
    }
    return [`method.request.header.${header}`];
  }
  const pattern = kind === 'http' ? HTTP_IDENTITY_SOURCE : REST_IDENTITY_SOURCE;
  const bad = sources.filter((s) => !pattern.test(s));
  if (bad.length > 0) {
    problems.error(
      'authorizer-identity-source',
      sourceAt,
      `identitySource ${bad.map((s) => `"${s}"`).join(', ')} is not ${kind === 'http' ? 'an HTTP API' : 'a REST API'} identity source.`,
      kind === 'http'
        ? 'Write $request.header.<name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>, comma-separated.'
        : 'Write method.request.header.<name>, method.request.querystring.<name>, context.<variable> or stageVariables.<name>, comma-separated.',
    );
    return undefined;
  }
  if (sources.length === 0 && ttl > 0) {
    // "To enable caching, your authorizer must have at least one identity source" (HTTP APIs); for REST, the
    // identity source is "required when authorization caching is enabled" (CreateAuthorizer).
    problems.error(
      'authorizer-identity-source-missing',
      at('x-amazon-apigateway-authorizer'),
      `Request authorizer "${name}" caches its decisions (authorizerResultTtlInSeconds ${ttl}${ext.authorizerResultTtlInSeconds === undefined ? ', the default' : ''}) but has no identitySource, the cache key.`,
      `Add identitySource: ${kind === 'http' ? '$request.header.Authorization' : 'method.request.header.Authorization'}, or authorizerResultTtlInSeconds: 0.`,
    );
    return undefined;
  }
  return sources;
}
