// The request each check sends for an operation: path parameters, required query and header parameters
// and the body from the document's examples, overridden by the config file.
import type { Operation } from '../openapi/model/types';
import type { OperationValues } from './config';

export interface OperationRequest {
  method: string;
  /** Path with parameters filled in and the query string, relative to the API URL. */
  pathAndQuery: string;
  headers: Record<string, string>;
  body?: string;
}

function encodePathValue(value: string, greedy: boolean): string {
  // A greedy `{proxy+}` spans segments: keep its slashes.
  return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
}

export function buildOperationRequest(op: Operation, values: OperationValues = {}): OperationRequest {
  const pathValues = new Map(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.example]));
  for (const [name, value] of Object.entries(values.path ?? {})) pathValues.set(name, value);
  const path = op.path.replace(/\{([^}]+?)(\+?)\}/g, (_whole, name: string, plus: string) =>
    encodePathValue(pathValues.get(name) ?? 'example', plus === '+'),
  );

  const query = new URLSearchParams();
  for (const p of op.parameters) if (p.in === 'query' && p.required) query.set(p.name, p.example);
  for (const [name, value] of Object.entries(values.query ?? {})) query.set(name, value);

  const headers: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'header' && p.required) headers[p.name.toLowerCase()] = p.example;
  for (const [name, value] of Object.entries(values.headers ?? {})) headers[name.toLowerCase()] = value;

  let body: string | undefined;
  const bodyValue = values.body !== undefined ? values.body : op.requestBody?.example;
  if (bodyValue !== undefined && op.requestBody) {
    const contentType = op.requestBody.contentType;
    headers['content-type'] ??= contentType;
    body = typeof bodyValue === 'string' && !/json/i.test(contentType) ? bodyValue : JSON.stringify(bodyValue);
  } else if (values.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(values.body);
  }

  const search = query.toString();
  return {
    method: values.method ?? (op.method === 'ANY' ? 'GET' : op.method),
    pathAndQuery: search ? `${path}?${search}` : path,
    headers,
    body,
  };
}

/** `https://host/prod` + `/pets` (the API URL may carry the stage as its path). */
export function joinUrl(apiUrl: string, pathAndQuery: string): string {
  return apiUrl.replace(/\/+$/, '') + pathAndQuery;
}
