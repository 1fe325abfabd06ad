// Retries: network errors, 429 and 5xx are retried with backoff; 2xx/4xx answers are final.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWithRetry } from './http';

const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function serve(
  answers: (number | 'drop')[],
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    const answer = answers[Math.min(hits++, answers.length - 1)];
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer, { 'content-type': 'application/json', 'X-Echo': 'yes' });
    res.end(JSON.stringify({ status: answer }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/x`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

test.each([
  [[503, 200], 200, 2],
  [[429, 502, 200], 200, 3],
  [['drop', 200], 200, 2],
  [[401], 401, 1],
  [[403, 200], 403, 1],
  [[200], 200, 1],
  [[500, 500, 500, 200], 500, 3],
] as const)('answers %j: final status %i after %i attempt(s)', async (answers, status, attempts) => {
  const server = await serve([...answers]);
  try {
    const response = await sendWithRetry({ method: 'GET', url: server.url, headers: {} }, fast);
    expect([response.status, response.attempts, server.hits()]).toEqual([status, attempts, attempts]);
    expect(response.headers['x-echo']).toBe('yes');
  } finally {
    await server.close();
  }
});

test('a connection that always fails is an error after the last attempt', async () => {
  const server = await serve(['drop']);
  try {
    await expect(sendWithRetry({ method: 'GET', url: server.url, headers: {} }, fast)).rejects.toThrow(
      /no answer after 3 attempts/,
    );
    expect(server.hits()).toBe(3);
  } finally {
    await server.close();
  }
});
