// The one model of an API, built once from the OpenAPI document and shared by the module,
// the local stack and the contract harness.

export type ApiKind = 'rest' | 'http';
export type SpecFormat = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH';
/** API Gateway's `x-amazon-apigateway-any-method` is modelled as ANY. */
export type OperationMethod = HttpMethod | 'ANY';

/** A JSON value as found in a parsed document. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CognitoAuthorizer {
  kind: 'cognito_user_pools';
  /** The security scheme's name. */
  name: string;
  /** JSON pointer of the security scheme. */
  pointer: string;
  /** Header the token is read from (from identitySource or the scheme's `name`). Lower-cased. */
  tokenHeader: string;
  /** Regex matched against the token's `aud` claim, when set. */
  identityValidationExpression?: string;
  /** As written: ARNs or placeholders such as `{{userPoolArn}}`. */
  providerArns: string[];
  resultTtlSeconds?: number;
}

export interface JwtAuthorizer {
  kind: 'jwt';
  name: string;
  pointer: string;
  /** Where the token is read: identitySource `$request.header.X` (name lower-cased) or `$request.querystring.X`. */
  tokenSource: { in: 'header' | 'querystring'; name: string };
  /**
   * Header the token is read from, lower-cased; '' when it is read from the query string (see tokenSource),
   * so a reader that knows only headers finds no token and refuses the request.
   */
  tokenHeader: string;
  /** As written: a URL or `{{issuer}}`; from the scheme's openIdConnectUrl when jwtConfiguration has none. */
  issuer: string;
  /** As written: client ids or `{{clientId:<name>}}` placeholders. */
  audience: string[];
}

/** The authorizers that verify a token from a user pool themselves: `model.authorizers`. */
export type Authorizer = CognitoAuthorizer | JwtAuthorizer;

/**
 * A Lambda authorizer (`x-amazon-apigateway-authorizer` type `token` or `request`): API Gateway calls the
 * function, which decides. REST APIs have both types, HTTP APIs `request` only. `model.lambdaAuthorizers`.
 */
export interface LambdaAuthorizer {
  kind: 'lambda';
  name: string;
  pointer: string;
  /** token: one header's value is the identity (REST); request: the identity sources together. */
  type: 'token' | 'request';
  /**
   * authorizerUri as written: `{{lambda:<name>}}`, or the invoke URI
   * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
   */
  uri: string;
  /** The function when the URI is a `{{lambda:<name>}}` placeholder. */
  functionName?: string;
  /**
   * Where the identity is read, as written for the API's kind: REST `method.request.header.X`,
   * `method.request.querystring.X`, `stageVariables.X`, `context.X`; HTTP `$request.header.X`,
   * `$request.querystring.X`, `$context.X`, `$stageVariables.X`. A REST token authorizer has exactly one, the
   * header its scheme names. API Gateway refuses a request missing any of them (401) without calling the function.
   */
  identitySources: string[];
  /** REST token authorizers: a regex the token must match, else 401 without calling the function. */
  identityValidationExpression?: string;
  /** Seconds a decision is cached per identity (API Gateway's default 300; 0 turns caching off). */
  resultTtlSeconds: number;
  /** HTTP APIs: the event and response format, '1.0' or '2.0'. Undefined on REST APIs. */
  payloadFormatVersion?: '1.0' | '2.0';
  /** HTTP APIs, payload 2.0: the function answers `{ isAuthorized }` instead of an IAM policy. */
  simpleResponses: boolean;
  /** authorizerCredentials as written (the IAM role API Gateway invokes the function with), when set. */
  credentials?: string;
}

interface SecuredAuth {
  /** JSON pointer of the security requirement that applies (the operation's, or the root's it inherits). */
  pointer?: string;
  /**
   * The requirement also names the API key scheme (`api_key`: type apiKey, name x-api-key, in header): REST
   * API Gateway also demands a valid API key of a usage plan (from `model.apiKeySource`), else 403.
   */
  apiKeyRequired?: true;
}

export type OperationAuth =
  /** `security: []` on the operation: public on purpose. */
  | { kind: 'public' }
  /** A Cognito (REST) or JWT (HTTP) authorizer of `model.authorizers`. */
  | (SecuredAuth & { kind: 'authorizer'; authorizer: string; scopes: string[] })
  /** A Lambda authorizer of `model.lambdaAuthorizers`. */
  | (SecuredAuth & { kind: 'lambda'; authorizer: string })
  /**
   * IAM (AWS_IAM): the request must be signed with SigV4 by a principal allowed execute-api:Invoke. From a
   * scheme with `x-amazon-apigateway-authtype: awsSigv4` (`scheme` names it), or the operation's
   * `x-amazon-apigateway-auth: { type: AWS_IAM }` (no scheme).
   */
  | (SecuredAuth & { kind: 'iam'; scheme?: string })
  /** Only an API key (REST): a key identifies a usage plan's client; it is not authorization. */
  | { kind: 'api_key'; scheme: string; pointer?: string };

/** A REST API's request validator, as it applies to one operation. */
export interface RequestValidation {
  /** Its name in `x-amazon-apigateway-request-validators`. */
  validator: string;
  /** The body is checked against the operation's request model (schema); 400 BAD_REQUEST_BODY if it fails. */
  body: boolean;
  /** Required parameters (headers, query string, path) must be present; 400 BAD_REQUEST_PARAMETERS if not. */
  parameters: boolean;
}

export interface ParameterExample {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** A value to send: the document's example, else one made from the schema. */
  example: string;
}

export interface RequestBodyExample {
  contentType: string;
  required: boolean;
  example: Json;
}

export interface MockIntegration {
  type: 'mock';
  /** Content type -> template. The status code comes from `{"statusCode": N}` in the template. */
  requestTemplates: Record<string, string>;
  responses: IntegrationResponse[];
  passthroughBehavior?: string;
}

export interface IntegrationResponse {
  /** Selection pattern (a regex on the status code for mock/http), or 'default'. */
  selectionPattern: string;
  statusCode: number;
  responseTemplates: Record<string, string>;
  responseParameters: Record<string, string>;
}

export interface HttpProxyIntegration {
  type: 'http_proxy';
  /** As written; may hold `{{backend:<name>}}` and `{proxy}`-style path variables. */
  uri: string;
  httpMethod: string;
  requestParameters: Record<string, string>;
}

export interface LambdaProxyIntegration {
  type: 'aws_proxy';
  /** As written; usually `{{lambda:<name>}}` or an invoke ARN. */
  uri: string;
  /** Name of the function when the URI is a `{{lambda:<name>}}` placeholder. */
  functionName?: string;
  /** '1.0' (REST and HTTP v1 events) or '2.0' (HTTP API default). */
  payloadFormatVersion: '1.0' | '2.0';
}

export interface OtherIntegration {
  /** Integrations the local stack cannot run (aws, http with mapping). Kept for the module. */
  type: 'http' | 'aws';
  uri: string;
}

export type Integration = MockIntegration | HttpProxyIntegration | LambdaProxyIntegration | OtherIntegration;

export interface Operation {
  /** operationId when present, else `METHOD path`. */
  id: string;
  operationId?: string;
  method: OperationMethod;
  /** As in the document, e.g. `/pets/{petId}` or `/proxy/{proxy+}`. */
  path: string;
  /** JSON pointer of the operation object, e.g. `/paths/~1pets/get`. */
  pointer: string;
  auth: OperationAuth;
  /** The documented success: the lowest 2xx response, 200 when none is documented. */
  successStatus: number;
  parameters: ParameterExample[];
  requestBody?: RequestBodyExample;
  integration: Integration;
  /** REST: the request validator that applies (the operation's, else the API's default); undefined when none. */
  requestValidation?: RequestValidation;
}

export interface GatewayResponse {
  /** e.g. UNAUTHORIZED, MISSING_AUTHENTICATION_TOKEN, DEFAULT_4XX. */
  type: string;
  statusCode?: number;
  /** Header name -> value, quotes of `'value'` removed. */
  headers: Record<string, string>;
  /** Content type -> template. */
  templates: Record<string, string>;
}

/** Where a `{{...}}` placeholder stands in the document. */
export interface PlaceholderUse {
  pointer: string;
  placeholder: Placeholder;
}

export type Placeholder =
  | { kind: 'userPoolArn' }
  | { kind: 'issuer' }
  | { kind: 'region' }
  | { kind: 'clientId'; name: string }
  | { kind: 'lambda'; name: string }
  | { kind: 'backend'; name: string };

/**
 * An HTTP API's `x-amazon-apigateway-cors`, as written: API Gateway answers preflights itself and adds
 * these headers to the API's replies. REST APIs have no such extension.
 */
export interface CorsConfiguration {
  /** `*`, exact origins, or `https://*` / `http://*` (any origin of that scheme). */
  allowOrigins: string[];
  /** Methods, or `*`. */
  allowMethods: string[];
  /** Request headers, or `*`. */
  allowHeaders: string[];
  exposeHeaders: string[];
  /** Seconds a browser may cache a preflight answer; undefined when not set. */
  maxAge?: number;
  allowCredentials: boolean;
}

export interface ApiModel {
  /** Absolute path of the document. */
  file: string;
  format: SpecFormat;
  kind: ApiKind;
  title: string;
  version: string;
  /** Cognito and JWT authorizers, by security scheme name. */
  authorizers: Record<string, Authorizer>;
  /** Lambda authorizers, by security scheme name (one namespace with `authorizers`). */
  lambdaAuthorizers: Record<string, LambdaAuthorizer>;
  operations: Operation[];
  /**
   * REST APIs with an operation that requires an API key: where the key comes from (`x-amazon-apigateway-api-key-source`):
   * HEADER (the `x-api-key` header, the default) or AUTHORIZER (the Lambda authorizer's `usageIdentifierKey`).
   */
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** REST: `x-amazon-apigateway-binary-media-types`, the content types passed as binary; [] when none. */
  binaryMediaTypes: string[];
  /** REST only; by response type. */
  gatewayResponses: Record<string, GatewayResponse>;
  /** HTTP APIs only; undefined when the document configures no CORS. */
  cors?: CorsConfiguration;
  placeholders: PlaceholderUse[];
  /** Every OAuth scope some operation requires, sorted, de-duplicated. */
  scopes: string[];
  /**
   * The document bundled into one object (external `$ref`s inlined, internal ones kept), as API Gateway
   * imports it. Placeholders are still unbound; see `bindPlaceholders`.
   */
  body: JsonObject;
  /** SHA-256 of the canonical JSON of `body`: changes when and only when the document does. */
  bodyHash: string;
}
