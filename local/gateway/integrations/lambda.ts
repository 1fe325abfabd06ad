// An aws_proxy (Lambda proxy) integration: event in, result out, function failures as API Gateway reports them.
import type { LambdaProxyIntegration } from '../../../openapi/model/types';
import type { GatewayError, Reply } from '../reply';
import type { LocalFunction } from './lambda-runtime';
import { eventV1, eventV2, readResult, type EventInput } from './lambda-events';

export interface LambdaTarget {
  integration: LambdaProxyIntegration;
  fn: LocalFunction;
}

export type LambdaLog = (message: string) => void;

const NO_BODY = Buffer.alloc(0);

function declaresBody(request: EventInput['request']): boolean {
  const { headers } = request;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

export async function runLambda(
  target: LambdaTarget,
  input: EventInput,
  log: LambdaLog,
): Promise<Reply | GatewayError> {
  // A request that declares no body has none (RFC 9112 §6.3): most Lambda routes are GETs, and reading an
  // empty stream to its end costs listeners and a turn of the event loop per request.
  const body = declaresBody(input.request) ? await input.request.readBody() : NO_BODY;
  const format = input.kind === 'rest' ? '1.0' : target.integration.payloadFormatVersion;
  const event = format === '2.0' ? eventV2(input, body) : eventV1(input, body);
  const invocation = await target.fn.invoke(event, input.request.requestId);
  if (!invocation.ok) {
    log(`function "${target.fn.name}" failed: ${invocation.error}`);
    return functionError();
  }
  const reply = readResult(invocation.result, format);
  if (!reply) {
    log(
      `function "${target.fn.name}" returned a malformed proxy result (needs statusCode, string body, headers of strings)`,
    );
    return functionError();
  }
  return reply;
}

// REST: 502 {"message": "Internal server error"} for a function error or a malformed result
// (docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html); HTTP APIs answer 500.
function functionError(): GatewayError {
  return {
    type: 'DEFAULT_5XX',
    status: 502,
    message: 'Internal server error',
    errorType: 'InternalServerErrorException',
    http: { status: 500, message: 'Internal Server Error' },
  };
}
