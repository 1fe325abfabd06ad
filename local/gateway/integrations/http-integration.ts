// A non-proxy http integration: only what requestParameters map (and the request template's body, or the
// method request's on passthrough) goes to the backend; its status selects the integration response. So
// the caller's Authorization header reaches the backend only where the document maps it.
import type { IntegrationSettings } from '../integration-settings';
import {
  chooseResponse,
  CONFIGURATION_ERROR,
  mediaType,
  methodResponse,
  requestTemplate,
} from '../integration-mapping';
import { emptyOverrides, mappedValue, templateVariables, type MethodRequest } from '../mapping';
import type { GatewayError, Reply } from '../reply';
import { dotSegmentIn, fixedPathPrefix, pathRefused, staysUnder } from '../path-values';
import type { GatewayRequest } from '../request';
import type { ContextTree } from '../templates';
import { compileTemplate, show } from '../vtl';
import { sendToBackend } from './http-proxy';

export interface HttpIntegrationTarget {
  settings: IntegrationSettings;
  /** The URI after local.urls, checked by bind.ts. */
  uri: string;
  origin: string;
}

export async function runHttpIntegration(
  target: HttpIntegrationTarget,
  request: GatewayRequest,
  pathParameters: Record<string, string>,
  context: ContextTree,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Reply | GatewayError> {
  const { settings } = target;
  const chosen = requestTemplate(
    settings.requestTemplates,
    settings.passthroughBehavior,
    request.headers['content-type'],
  );
  if ('type' in chosen) return chosen;
  const raw = await request.readBody();
  const body = raw.toString('utf8');
  const methodRequest: MethodRequest & { body: string } = {
    headers: request.headers,
    query: request.query,
    pathParameters,
    body,
  };
  const overrides = emptyOverrides();
  const payload =
    chosen.template === undefined
      ? raw
      : Buffer.from(
          compileTemplate(chosen.template).render(templateVariables(body, methodRequest, context, overrides)),
        );

  const path: Record<string, string> = { ...pathParameters };
  const query: [string, string][] = [];
  const headers: [string, string][] = [];
  for (const [targetName, source] of Object.entries(settings.requestParameters)) {
    const m = /^integration\.request\.(header|querystring|path)\.(.+)$/.exec(targetName);
    const value = m ? mappedValue(source, methodRequest, context) : undefined;
    if (!m || value === undefined) continue;
    if (m[1] === 'header') headers.push([m[2], value]);
    else if (m[1] === 'querystring') query.push([m[2], value]);
    else path[m[2]] = value;
  }
  for (const [name, value] of Object.entries(overrides.request.header)) headers.push([name, show(value)]);
  for (const [name, value] of Object.entries(overrides.request.querystring)) query.push([name, show(value)]);
  for (const [name, value] of Object.entries(overrides.request.path)) path[name] = show(value);

  // No path value may leave the URI's prefix (path-values.ts): checked on the value, then on the URL built.
  const prefix = fixedPathPrefix(target.uri);
  let refused: string | undefined;
  let url: URL;
  try {
    url = new URL(
      target.uri.replace(/\{([^{}+]+)\+?\}/g, (whole, name: string) => {
        if (!Object.hasOwn(path, name)) return whole;
        if (dotSegmentIn(path[name])) refused ??= name;
        return encodePath(path[name]);
      }),
    );
  } catch {
    log(`backend URL of ${target.uri} did not build`);
    return CONFIGURATION_ERROR;
  }
  if (refused !== undefined) return pathRefused(refused, prefix);
  if (!staysUnder(url, prefix)) return pathRefused(Object.keys(path).join(', '), prefix);
  for (const [name, value] of query) url.searchParams.append(name, value);
  const contentType =
    chosen.template !== undefined
      ? (mediaType(request.headers['content-type']) ?? 'application/json')
      : request.headers['content-type'];
  if (payload.length > 0 && contentType && !headers.some(([n]) => n.toLowerCase() === 'content-type'))
    headers.push(['content-type', contentType]);
  const method = settings.httpMethod === 'ANY' ? request.method : settings.httpMethod;

  const answered = await sendToBackend(url, target.origin, method, headers, payload, timeoutMs);
  if ('type' in answered) return answered;
  const answer = {
    headers: answered.headers,
    body: Buffer.isBuffer(answered.body) ? answered.body.toString('utf8') : answered.body,
  };
  const response = chooseResponse(settings.responses, String(answered.status));
  if (!response) {
    log(`backend answered ${answered.status}: no integration response matches and there is no default`);
    return CONFIGURATION_ERROR;
  }
  return methodResponse(response, methodRequest, context, answer, overrides);
}

/** A path value into a URL path, its slashes kept (a greedy variable spans segments). */
function encodePath(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
