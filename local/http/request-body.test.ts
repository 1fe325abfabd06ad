// Both local servers refuse a body past their limit with AWS's 413, whether the size is declared up front
// or only found out while a chunked body streams in, and still take a body within it.
import { modelOf } from '../gateway/test-support';
import { MAX_BODY_BYTES } from '../gateway/request';
import { startLocalStack, type LocalStack } from '../stack';

const COGNITO_LIMIT = 1024 * 1024;

let stack: LocalStack;

beforeAll(async () => {
  const model = await modelOf(`
openapi: 3.0.3
info: { title: Upload, version: '1' }
paths:
  /upload:
    post:
      security: []
      responses: { '200': { description: Echoed } }
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: POST
        uri: '{{backend:echo}}/upload'
`);
  // The local stack puts its echo server behind every backend.
  stack = await startLocalStack({
    spec: model,
    props: { spec: model, backends: { echo: 'https://echo.example.com' } },
  });
});

afterAll(() => stack?.stop());

/** A body sent chunked (no Content-Length), in 64 KB pieces. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(64 * 1024, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
}

async function post(url: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the local gateway (10 MB, as API Gateway)', () => {
  test.each([
    ['declared', () => new Uint8Array(MAX_BODY_BYTES + 1)],
    ['chunked', () => chunked(MAX_BODY_BYTES + 1)],
  ])('answers 413 Request Too Long to a %s body one byte over', async (_how, body) => {
    const r = await post(`${stack.outputs.api_url}/upload`, body());
    expect(r.status).toBe(413);
    expect(r.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    expect(JSON.parse(r.text)).toEqual({ message: 'Request Too Long' });
  });

  test('passes a chunked body within the limit to the backend', async () => {
    const r = await post(`${stack.outputs.api_url}/upload`, chunked(256 * 1024));
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as { body: string }).body).toBe('a'.repeat(256 * 1024));
  });
});

describe('the local Cognito (1 MB)', () => {
  const target = { 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' };
  test.each([
    ['declared', () => new Uint8Array(COGNITO_LIMIT + 1)],
    ['chunked', () => chunked(COGNITO_LIMIT + 1)],
  ])('answers 413 to a %s JSON API body one byte over', async (_how, body) => {
    const r = await post(stack.cognitoUrl, body(), { ...target, 'content-type': 'application/x-amz-json-1.1' });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({ message: 'Request body too large.' });
  });

  test('still answers a JSON API request within the limit', async () => {
    const r = await post(stack.cognitoUrl, new TextEncoder().encode('{"MaxResults":10}'), {
      ...target,
      'content-type': 'application/x-amz-json-1.1',
    });
    expect(r.status).toBe(200);
    const pools = (JSON.parse(r.text) as { UserPools: { Id: string }[] }).UserPools;
    expect(pools.map((p) => p.Id)).toEqual([stack.outputs.user_pool_id]);
  });
});
