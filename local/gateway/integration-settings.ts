// An operation's x-amazon-apigateway-integration as written, for the integrations the model keeps only
// the type and uri of (aws, http): templates, parameter mappings, integration responses, passthrough.
import { bindPlaceholders } from '../../openapi/model/placeholders';
import type {
  ApiModel,
  IntegrationResponse,
  Json,
  JsonObject,
  Operation,
  Placeholder,
} from '../../openapi/model/types';
import { follow, objectAt } from './document';

export type Passthrough = 'when_no_match' | 'when_no_templates' | 'never';

export interface IntegrationSettings {
  type: string;
  /** Placeholders bound. */
  uri: string;
  /** Upper-case; ANY takes the method request's. */
  httpMethod: string;
  /** Content type (lower-case) -> template, placeholders bound. */
  requestTemplates: Record<string, string>;
  requestParameters: Record<string, string>;
  passthroughBehavior: Passthrough;
  responses: IntegrationResponse[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: Json | undefined): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function integrationSettings(
  model: ApiModel,
  operation: Operation,
  resolve: (p: Placeholder) => string,
): IntegrationSettings {
  const written = objectAt(model.body, `${operation.pointer}/x-amazon-apigateway-integration`) ?? {};
  const ext = bindPlaceholders(written, resolve);
  const passthrough = typeof ext.passthroughBehavior === 'string' ? ext.passthroughBehavior.toLowerCase() : '';
  const responses = follow(model.body, ext.responses);
  return {
    type: typeof ext.type === 'string' ? ext.type.toLowerCase() : '',
    uri: typeof ext.uri === 'string' ? ext.uri : '',
    httpMethod: typeof ext.httpMethod === 'string' ? ext.httpMethod.toUpperCase() : 'ANY',
    requestTemplates: Object.fromEntries(
      Object.entries(strings(ext.requestTemplates)).map(([type, t]) => [type.toLowerCase(), t]),
    ),
    requestParameters: strings(ext.requestParameters),
    passthroughBehavior: passthrough === 'never' || passthrough === 'when_no_templates' ? passthrough : 'when_no_match',
    responses: isObject(responses)
      ? Object.entries(responses)
          .filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
          .map(([selectionPattern, r]) => ({
            selectionPattern,
            statusCode: Number(r.statusCode ?? 200),
            responseTemplates: strings(r.responseTemplates),
            responseParameters: strings(r.responseParameters),
          }))
      : [],
  };
}
