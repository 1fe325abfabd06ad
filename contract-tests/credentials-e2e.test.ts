// The credentials of the project file's `contract` key (credentials.ts) end to end, against the real local
// stack, which runs the fixtures' authorizer functions and knows the usage plan's key (local.apiKeys): the
// positive checks behind Lambda authorizers and API keys pass with the right credentials, fail (the documented
// success not met) with a wrong identity or key, and are "not run" naming the config path without any. The
// echo backend answers with what it was sent, so every report would show the credentials were they not masked.
import * as path from 'node:path';
import { toHtml } from './html-report';
import { formatTable, progressLine, toJson, toJUnit, type ContractReport } from './report';
import { runContract } from './run';
import type { ProjectFile } from '../stack/project-file';
import { LOCAL_CREDENTIALS, withProjectStack, type TestStack } from './testing/local-stack';

const FIXTURES = path.join(__dirname, 'fixtures', 'credentials');
const REST_CONFIG = path.join(FIXTURES, 'rest.config.yaml');
const HTTP_CONFIG = path.join(FIXTURES, 'http.config.yaml');
/** What the fixtures' functions accept (functions/gate.js) and the key local.apiKeys lists. */
const RIGHT = {
  CREDENTIALS_TEST_API_KEY: 'ci-usage-key-0001-abcdefgh',
  CREDENTIALS_TEST_PASS: 'pass-7f3a9c2e51',
  CREDENTIALS_TEST_VISITOR: 'visitor-k2m9x4',
  CREDENTIALS_TEST_BADGE: 'badge-0042-teal',
};
const WRONG_IDENTITY = { ...RIGHT, CREDENTIALS_TEST_PASS: 'pass-00000000', CREDENTIALS_TEST_BADGE: 'badge-0000-grey' };
const WRONG_KEY = { ...RIGHT, CREDENTIALS_TEST_API_KEY: 'ci-usage-key-9999-zyxwvuts' };
/** rest.config.yaml's literal x-visitor, a secret like the others. */
const LITERAL = 'visitor-k2m9x4';

/** A run's report, with what the CLI would print: the log, a progress line per check and the table. */
type Run = ContractReport & { printed: string[] };

async function run(
  stack: TestStack,
  project: ProjectFile,
  env: Record<string, string>,
  apiKeyEnv?: string,
): Promise<Run> {
  const printed: string[] = [];
  const report = await runContract({
    spec: stack.model,
    outputsFile: stack.outputsFile,
    projectFile: project,
    env,
    apiKeyEnv,
    credentials: async () => LOCAL_CREDENTIALS,
    log: (line) => printed.push(line),
    onResult: (result) => printed.push(progressLine(result)),
  });
  printed.push(formatTable(report));
  return { ...report, printed };
}

function failed(report: ContractReport): Record<string, string> {
  return Object.fromEntries(report.results.filter((r) => !r.passed).map((r) => [r.name, r.problems.join('; ')]));
}

function notRun(report: ContractReport): Record<string, string> {
  return Object.fromEntries(report.omitted.map((o) => [`${o.operation} ${o.case}`, o.reason]));
}

/** No report the CLI writes, nor anything it prints, holds a credential in full; the echoed bodies hold their masks. */
function expectNoCredential(report: Run, secrets: string[]): void {
  const rendered = [toJson(report), toJUnit(report), toHtml(report), report.printed.join('\n')];
  for (const text of rendered) for (const secret of secrets) expect(text).not.toContain(secret);
  const bodies = report.results.map((r) => r.got?.body ?? '').join('\n');
  expect(bodies).toContain('[secret redacted,');
}

describe('REST API: Lambda token and request authorizers, an API key alone and beside Lambda and Cognito', () => {
  it('runs every positive check with the credentials, fails those a wrong identity or key spoils, and says which path enables them', async () => {
    await withProjectStack(REST_CONFIG, async (stack, project) => {
      const right = await run(stack, project, RIGHT);
      expect(failed(right)).toEqual({});
      const ran = right.results.map((r) => r.name);
      expect(ran).toEqual(
        expect.arrayContaining([
          'passOnly no-token',
          'passOnly valid-token',
          'visitorOnly no-token',
          'visitorOnly valid-token',
          'keyOnly no-token',
          'keyOnly valid-token',
          'passAndKey valid-token',
          'passAndKey no-api-key',
          'cognitoAndKey valid-token',
          'cognitoAndKey valid-token-bearer',
          'cognitoAndKey no-api-key',
        ]),
      );
      const result = (name: string) => right.results.find((r) => r.name === name)!;
      expect(result('passOnly valid-token').got?.status).toBe(200);
      expect(result('passAndKey no-api-key').got?.status).toBe(403);
      expect(result('keyOnly valid-token').description).toBe('the API key of contract.apiKey as x-api-key');
      expect(result('visitorOnly valid-token').description).toBe(
        'the identity contract.lambdaAuthorizers.Visitor gives (header x-visitor, query badge)',
      );
      expect(result('passAndKey valid-token').rule).toBe(
        'Lambda authorizer, the identity its function accepts and an API key of a usage plan -> the documented success',
      );
      expect(notRun(right)).not.toHaveProperty(['keyOnly valid-token']);
      expectNoCredential(right, [...Object.values(RIGHT), LITERAL]);

      // A wrong identity: each check sending it meets the function's Deny, not the documented success.
      const wrongIdentity = await run(stack, project, WRONG_IDENTITY);
      expect(Object.keys(failed(wrongIdentity)).sort()).toEqual([
        'passAndKey no-api-key',
        'passAndKey valid-token',
        'passOnly valid-token',
        'visitorOnly valid-token',
      ]);
      expect(failed(wrongIdentity)['passOnly valid-token']).toMatch(/^status 403, expected 200/);
      expectNoCredential(wrongIdentity, [...Object.values(WRONG_IDENTITY), LITERAL]);

      // A key of no usage plan: each check that expects success with it is refused 403.
      const wrongKey = await run(stack, project, WRONG_KEY);
      expect(failed(wrongKey)).toEqual({
        'keyOnly valid-token': 'status 403, expected 200',
        'passAndKey valid-token': 'status 403, expected 200',
        'cognitoAndKey valid-token': 'status 403, expected 200',
        'cognitoAndKey valid-token-bearer': 'status 403, expected 200',
      });
      expectNoCredential(wrongKey, [...Object.values(WRONG_KEY), LITERAL]);

      // None given: as before, the unauthenticated checks only, each positive one naming the path that enables it.
      const none = await run(stack, { ...project, contract: undefined }, {});
      expect(failed(none)).toEqual({});
      expect(none.results.filter((r) => r.case === 'valid-token' && r.operation !== 'cognitoAndKey')).toEqual([]);
      const reasons = notRun(none);
      expect(reasons['passOnly valid-token']).toBe(
        'Lambda authorizer Pass: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.Pass of the project file (headers: { X-Pass: <value> })',
      );
      expect(reasons['visitorOnly valid-token']).toMatch(
        /contract\.lambdaAuthorizers\.Visitor of the project file \(headers: \{ X-Visitor: <value> \}, query: \{ badge: <value> \}\)$/,
      );
      expect(reasons['keyOnly valid-token']).toMatch(/give one in contract\.apiKey of the project file/);
      expect(reasons['cognitoAndKey valid-token']).toMatch(/^the method requires an API key and .*contract\.apiKey/);
      expect(reasons['passAndKey no-api-key']).toMatch(/contract\.lambdaAuthorizers\.Pass/);

      // --api-key-env: the key from the variable it names, without any in the project file.
      const flag = await run(
        stack,
        { ...project, contract: undefined },
        { CI_KEY: RIGHT.CREDENTIALS_TEST_API_KEY },
        'CI_KEY',
      );
      expect(failed(flag)).toEqual({});
      expect(
        flag.results
          .filter((r) => r.case === 'valid-token')
          .map((r) => r.operation)
          .sort(),
      ).toEqual(['cognitoAndKey', 'keyOnly']);
      expectNoCredential(flag, [RIGHT.CREDENTIALS_TEST_API_KEY]);
    });
  }, 300_000);
});

describe('HTTP API: a Lambda request authorizer reading a header and a query parameter', () => {
  it('passes with the identity, fails with a wrong one, and is not run without one', async () => {
    await withProjectStack(HTTP_CONFIG, async (stack, project) => {
      const right = await run(stack, project, RIGHT);
      expect(failed(right)).toEqual({});
      expect(right.results.map((r) => r.name).sort()).toEqual(['visitorRoute no-token', 'visitorRoute valid-token']);
      expectNoCredential(right, Object.values(RIGHT));

      const wrong = await run(stack, project, WRONG_IDENTITY);
      expect(failed(wrong)).toEqual({ 'visitorRoute valid-token': 'status 403, expected 200' });

      const none = await run(stack, { ...project, contract: undefined }, {});
      expect(none.results.map((r) => r.name)).toEqual(['visitorRoute no-token']);
      expect(notRun(none)['visitorRoute valid-token']).toBe(
        'Lambda authorizer Visitor: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.Visitor of the project file (headers: { X-Visitor: <value> }, query: { badge: <value> })',
      );
    });
  }, 180_000);
});
