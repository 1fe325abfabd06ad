// Each bound integration made runnable here, or a stand-in with the reason nothing real can run: every
// valid document starts. Real: mock, http and http_proxy to this machine (or where local.forward opts in),
// aws_proxy and non-proxy Lambda to a function of the project file. Stand-ins: AWS service actions,
// functions and backends the project file does not give, hosts off this machine, templates beyond the
// VTL subset (vtl.ts). Not modelled for what runs: contentHandling conversions, an integration's own
// timeoutInMillis (the gateway's applies), stage variables (there are none locally).
import * as path from 'node:path';
import type { ProblemList } from '../../openapi/model/problems';
import type { ApiModel, MockIntegration, Operation, Placeholder } from '../../openapi/model/types';
import type { BoundIntegration } from '../../stack/bound-operations';
import type { LambdaFunctionOptions } from '../../stack/props';
import { integrationSettings } from './integration-settings';
import type { HttpIntegrationTarget } from './integrations/http-integration';
import type { ProxyTarget } from './integrations/http-proxy';
import type { LambdaTarget } from './integrations/lambda';
import type { LambdaIntegrationTarget } from './integrations/lambda-integration';
import { FunctionNotLoadable, LocalFunction } from './integrations/lambda-runtime';
import { standInReply, type StandInReply } from './integrations/stand-in';
import { outbound, type OutboundPolicy } from './outbound';
import { compileTemplate, VtlError } from './vtl';

/** An integration as the gateway runs it. */
export type RunnableIntegration =
  | { type: 'mock'; integration: MockIntegration }
  | { type: 'http_proxy'; target: ProxyTarget }
  | { type: 'aws_proxy'; target: LambdaTarget }
  | { type: 'http'; target: HttpIntegrationTarget }
  | { type: 'aws'; target: LambdaIntegrationTarget }
  | { type: 'stand_in'; reply: StandInReply };

/** An operation the stand-in answers, and why. */
export interface StandIn {
  operation: string;
  method: string;
  path: string;
  reason: string;
}

/** An operation whose backend is off this machine and really called, because local.forward says so. */
export interface Forwarded {
  operation: string;
  method: string;
  path: string;
  uri: string;
}

export interface RunnableOptions {
  functions: Record<string, LambdaFunctionOptions>;
  region: string;
  outbound: OutboundPolicy;
}

/** What binding one API collects across its operations. */
export interface Binding {
  model: ApiModel;
  options: RunnableOptions;
  resolve: (p: Placeholder) => string;
  problems: ProblemList;
  /** Loaded once per name, shared by the operations calling it. */
  functions: Map<string, LocalFunction>;
  standIns: StandIn[];
  forwarded: Forwarded[];
}

const FUNCTION_IN_ARN = /:function:([A-Za-z0-9_-]+)/;
/** A Lambda invoke URI (`...:lambda:path/2015-03-31/functions/<ARN>/invocations`) or a function ARN. */
const LAMBDA_URI = /:lambda:path\/|^arn:aws[a-z-]*:lambda:/;
const UNBOUND = /\{\{\s*(lambda|backend):([A-Za-z0-9_-]+)\s*\}\}/;
/**
 * arn:aws:apigateway:<region>:<service or subdomain.service>:<action|path>/<rest>; the partition and region may
 * be the AWS import variables ${AWS::Partition} and ${AWS::Region}, which the document keeps for API Gateway.
 */
const SERVICE_URI =
  /^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):apigateway:(?:\$\{AWS::Region\}|[^:]*):([^:]+):(action|path)\/(.*)$/;

export function runnableIntegration(
  operation: Operation,
  integration: BoundIntegration,
  binding: Binding,
): RunnableIntegration | undefined {
  const standIn = (reason: string): RunnableIntegration => {
    binding.standIns.push({ operation: operation.id, method: operation.method, path: operation.path, reason });
    return { type: 'stand_in', reply: standInReply(binding.model, operation, reason) };
  };
  const at = `${operation.pointer}/x-amazon-apigateway-integration/uri`;
  try {
    switch (integration.type) {
      case 'mock':
        checkTemplates(integration.integration);
        return integration;
      case 'http_proxy': {
        const unbound = unboundIn(integration.uri);
        if (unbound) return standIn(unbound);
        const allowed = outbound(integration.uri, binding.options.outbound);
        if (!allowed.allowed) return standIn(allowed.reason);
        if (allowed.forwarded) forwarded(binding, operation, allowed.uri);
        return {
          type: 'http_proxy',
          target: { integration: integration.integration, uri: allowed.uri, origin: allowed.origin },
        };
      }
      case 'aws_proxy': {
        const name = integration.functionName ?? UNBOUND.exec(integration.uri)?.[2];
        if (name === undefined) return standIn(`the Lambda URI names no function (received: ${integration.uri})`);
        const fn = localFunction(name, at, binding);
        if (fn === 'absent') return standIn(`no function \`${name}\` in the project file`);
        return fn && { type: 'aws_proxy', target: { integration: integration.integration, fn } };
      }
      case 'http': {
        const settings = integrationSettings(binding.model, operation, binding.resolve);
        const unbound = unboundIn(settings.uri);
        if (unbound) return standIn(unbound);
        const allowed = outbound(settings.uri, binding.options.outbound);
        if (!allowed.allowed) return standIn(allowed.reason);
        checkTemplates(settings);
        if (allowed.forwarded) forwarded(binding, operation, allowed.uri);
        return { type: 'http', target: { settings, uri: allowed.uri, origin: allowed.origin } };
      }
      case 'aws': {
        const settings = integrationSettings(binding.model, operation, binding.resolve);
        const uri = settings.uri;
        const placeholder = UNBOUND.exec(uri);
        if (!LAMBDA_URI.test(uri) && placeholder?.[1] !== 'lambda') return standIn(serviceReason(uri));
        const name = placeholder?.[1] === 'lambda' ? placeholder[2] : FUNCTION_IN_ARN.exec(uri)?.[1];
        if (name === undefined) return standIn(`the Lambda URI names no function (received: ${uri})`);
        const fn = localFunction(name, at, binding);
        if (fn === 'absent') return standIn(`no function \`${name}\` in the project file`);
        checkTemplates(settings);
        return fn && { type: 'aws', target: { settings, fn } };
      }
    }
  } catch (error) {
    if (!(error instanceof VtlError)) throw error;
    return standIn(`a mapping template beyond the local gateway's VTL: ${error.message}`);
  }
}

/** Templates compiled now, so that one beyond the VTL subset makes a stand-in at start, not a 500 later. */
function checkTemplates(integration: {
  requestTemplates: Record<string, string>;
  responses: { responseTemplates: Record<string, string> }[];
}): void {
  for (const template of Object.values(integration.requestTemplates)) compileTemplate(template);
  for (const r of integration.responses)
    for (const template of Object.values(r.responseTemplates)) compileTemplate(template);
}

/** Why a URI still holding a `{{lambda:}}` or `{{backend:}}` placeholder (the props give no value) cannot run. */
function unboundIn(uri: string): string | undefined {
  const m = UNBOUND.exec(uri);
  if (!m) return undefined;
  return m[1] === 'lambda'
    ? `no function \`${m[2]}\` in the project file`
    : `no backend \`${m[2]}\` in the project file`;
}

function serviceReason(uri: string): string {
  const m = SERVICE_URI.exec(uri);
  if (!m) return `AWS integration with a URI the local gateway does not read (received: ${uri})`;
  const service = m[1].split('.').pop() as string;
  if (m[2] === 'action') return `AWS service integration ${service}:${m[3].split(/[&?]/)[0]}`;
  return `AWS service integration ${service} (path /${m[3]})`;
}

function forwarded(binding: Binding, operation: Operation, uri: string): void {
  binding.forwarded.push({ operation: operation.id, method: operation.method, path: operation.path, uri });
}

/**
 * The project file's function of that name, loaded once; 'absent' when it has none. A function it gives
 * whose code cannot be loaded is a problem of the project file, reported at start.
 */
function localFunction(name: string, at: string, binding: Binding): LocalFunction | 'absent' | undefined {
  const fnOptions = Object.hasOwn(binding.options.functions, name) ? binding.options.functions[name] : undefined;
  if (!fnOptions) return 'absent';
  let fn = binding.functions.get(name);
  if (fn) return fn;
  fn = new LocalFunction(name, { ...fnOptions, sourceDir: path.resolve(fnOptions.sourceDir) }, binding.options.region);
  try {
    fn.load();
  } catch (error) {
    if (!(error instanceof FunctionNotLoadable)) throw error;
    binding.problems.error(
      'local-function-unloadable',
      at,
      error.message,
      "Point sourceDir and handler (<file>.<export>) at the function's code.",
    );
    return undefined;
  }
  binding.functions.set(name, fn);
  return fn;
}
