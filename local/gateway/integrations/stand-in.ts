// The stand-in for an integration nothing real can run here (an AWS service action, a function or backend
// the project file does not give, a host off this machine): the operation's documented success — its
// lowest 2xx status, its documented headers, and its example body or one made from its schema — answered
// after the authorizer decided, so that the authorization contract is still checked exactly.
import { asParameterString, documentedExample, exampleFromSchema } from '../../../openapi/model/examples';
import type { ApiModel, Json, JsonObject, Operation } from '../../../openapi/model/types';
import { follow, objectAt, resolved } from '../document';
import type { Reply } from '../reply';

export interface StandInReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Marks a stand-in's reply, with why, so that whoever reads it knows no backend answered. */
export const STAND_IN_HEADER = 'x-gatehouse-stand-in';

const NO_BODY = new Set([204, 205, 304]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header values must be visible ASCII; anything else a document's example holds is dropped. */
function headerText(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, '').trim();
}

export function standInReply(model: ApiModel, operation: Operation, reason: string): StandInReply {
  const root = model.body;
  const op = objectAt(root, operation.pointer) ?? {};
  const status = operation.successStatus;
  const responses = follow(root, op.responses);
  const written = isObject(responses)
    ? (follow(root, responses[String(status)]) ?? follow(root, responses[`${String(status)[0]}XX`]))
    : undefined;
  const response = isObject(written) ? (resolved(root, written) as JsonObject) : {};

  const headers: Record<string, string> = {};
  if (isObject(response.headers))
    for (const [name, header] of Object.entries(response.headers)) {
      if (!isObject(header) || /^content-(type|length)$/i.test(name)) continue;
      const schema = isObject(header.schema) ? header.schema : header;
      const value = documentedExample(header) ?? documentedExample(schema) ?? exampleFromSchema(schema);
      const text = headerText(asParameterString(value));
      if (text) headers[name] = text;
    }
  headers[STAND_IN_HEADER] = headerText(reason);

  if (NO_BODY.has(status)) return { status, headers, body: '' };
  const example = model.format === 'swagger-2.0' ? swaggerBody(root, op, response) : openApiBody(response);
  if (!example) return { status, headers, body: '' };
  const json = /json/i.test(example.contentType);
  return {
    status,
    headers: { 'content-type': example.contentType, ...headers },
    body: !json && typeof example.value === 'string' ? example.value : JSON.stringify(example.value),
  };
}

/** OpenAPI 3: the JSON media type if there is one, else the first; its example, else one from its schema. */
function openApiBody(response: JsonObject): { contentType: string; value: Json } | undefined {
  if (!isObject(response.content)) return undefined;
  const types = Object.keys(response.content);
  const contentType = types.find((t) => /json/i.test(t)) ?? types[0];
  if (contentType === undefined) return undefined;
  const media = response.content[contentType];
  if (!isObject(media)) return undefined;
  const value = documentedExample(media) ?? (media.schema === undefined ? undefined : exampleFromSchema(media.schema));
  return value === undefined ? undefined : { contentType, value };
}

/** Swagger 2.0: `examples` by MIME type, else the schema, as the operation's (or the document's) produces. */
function swaggerBody(
  root: JsonObject,
  op: JsonObject,
  response: JsonObject,
): { contentType: string; value: Json } | undefined {
  const produces = (
    Array.isArray(op.produces) ? op.produces : Array.isArray(root.produces) ? root.produces : []
  ).filter((t): t is string => typeof t === 'string');
  const examples = isObject(response.examples) ? response.examples : {};
  const contentType =
    Object.keys(examples)[0] ?? produces.find((t) => /json/i.test(t)) ?? produces[0] ?? 'application/json';
  if (Object.hasOwn(examples, contentType)) return { contentType, value: examples[contentType] };
  if (response.schema === undefined) return undefined;
  return { contentType, value: exampleFromSchema(response.schema) };
}

/**
 * A fresh reply per request: the pipeline adds request ids to the headers it gets. Object.assign, not a
 * spread: properties added to a spread clone take the runtime's slow path (V8 11 / Node 20).
 */
export function runStandIn(standIn: StandInReply): Reply {
  return { status: standIn.status, headers: Object.assign({}, standIn.headers), body: standIn.body };
}
