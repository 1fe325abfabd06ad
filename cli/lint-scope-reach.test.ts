// gatehouse lint with a project file warns about a scoped route that no client of the props can get a token
// for (stack/scope-reach.ts), as synth does; before, lint passed such a document silently, exit 0. Without a
// project file the clients are unknown and nothing is said.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SpecProblem } from '../openapi/model/problems';
import { execute } from './lint';

const FIXTURE = path.join(__dirname, '..', 'contract-tests', 'fixtures', 'user-scopes-rest.yaml');

let dir: string;
let printed: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-scopes-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'api.yaml'));
  printed = [];
  jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function reported(): SpecProblem[] {
  return (JSON.parse(printed.join('\n')) as { problems: SpecProblem[] }).problems;
}

test('with the props of a project file, a scope no client may obtain is a scope-unobtainable warning at its route', async () => {
  fs.writeFileSync(
    path.join(dir, 'gatehouse.config.yaml'),
    [
      'spec: api.yaml',
      'clients:',
      '  web: {}',
      '  machine: { oauthFlows: [client_credentials], oauthScopes: [api/orders] }',
      '  spa: { oauthFlows: [code], oauthScopes: [openid, email, api/reports], callbackUrls: ["http://localhost:3000/callback"] }',
      '',
    ].join('\n'),
  );
  const code = await execute([path.join(dir, 'api.yaml')], { json: true });
  expect(code).toBe(0);
  expect(reported().filter((p) => p.rule === 'scope-unobtainable')).toEqual([
    expect.objectContaining({
      severity: 'warning',
      pointer: '/paths/~1phone/get/security/0/CognitoAuth',
      message: expect.stringContaining('no client in the props may obtain phone'),
    }),
  ]);
});

test('without a project file, lint says nothing of scopes it cannot judge', async () => {
  await execute([path.join(dir, 'api.yaml')], { json: true });
  expect(reported().filter((p) => p.rule === 'scope-unobtainable')).toEqual([]);
});
