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
  /** Header the token is read from (from `$request.header.X`). Lower-cased. */
  tokenHeader: string;
  /** As written: a URL or `{{issuer}}`. */
  issuer: string;
  /** As written: client ids or `{{clientId:<name>}}` placeholders. */
  audience: string[];
}

export type Authorizer = CognitoAuthorizer | JwtAuthorizer;

export type OperationAuth =
  | { kind: 'public' }
  | {
      kind: 'authorizer';
      authorizer: string;
      scopes: string[];
      /** JSON pointer of the security requirement that applies (the operation's, or the root's it inherits). */
      pointer?: string;
    };

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
  authorizers: Record<string, Authorizer>;
  operations: Operation[];
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
