import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseReadyLine, startStackChild } from './local-stack-child';

describe("gatehouse local's ready line", () => {
  it('is read from among the warnings printed before it, with the stack its own start time', () => {
    const output =
      'warning openapi/pets.yaml#/paths/~1purchase/post/security/0/CognitoAuth [rest-scopes-need-access-token]\n' +
      '  fix: Nothing, if clients send access tokens (client_credentials).\n' +
      'local stack up in 546 ms (REST API: Pets)\n  API              http://127.0.0.1:44049/prod\n';
    expect(parseReadyLine(output)).toEqual({ coldStartMs: 546, apiKind: 'rest', title: 'Pets' });
    expect(parseReadyLine('local stack up in 12 ms (HTTP API: Hello (v2))\n')).toEqual({
      coldStartMs: 12,
      apiKind: 'http',
      title: 'Hello (v2)',
    });
  });

  it('is not taken until it is whole: a chunk can end part way through it', () => {
    expect(parseReadyLine('local stack up in 54')).toBeUndefined();
    expect(parseReadyLine('local stack up in 546 ms (HTTP API: Hello (v2)')).toBeUndefined();
    expect(parseReadyLine('local stack stopped\n')).toBeUndefined();
  });

  it('matches what the real CLI prints, after it has written the outputs file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-ready-'));
    const stack = await startStackChild('openapi/pets.yaml', path.join(dir, 'outputs.json'));
    try {
      expect(stack.readyLine).toMatchObject({ apiKind: 'rest', title: 'Pets' });
      expect(stack.readyLine.coldStartMs).toBeLessThanOrEqual(stack.readyLineMs);
      expect(stack.outputsFileMs).toBeLessThanOrEqual(stack.readyLineMs);
      expect(stack.outputs.api_kind).toBe('rest');
    } finally {
      await stack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
