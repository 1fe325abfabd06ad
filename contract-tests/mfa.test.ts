// The harness against a pool that requires MFA (userPool.mfa 'ON'): its ephemeral test user's first sign-in
// gets MFA_SETUP, so the harness enrols a TOTP authenticator, computing the codes itself, says so, answers
// SOFTWARE_TOKEN_MFA on later sign-ins with codes of steps not used before, and every check passes, the
// hosted-UI one (user-access-token-scoped) included: its form driver answers the local hosted UI's code page,
// or its set-up page, with the same authenticator.
import * as path from 'node:path';
import { appProps } from '../stack/app-props';
import { CHECK_CASES } from './expectations';
import { runContract } from './run';
import { LOCAL_CREDENTIALS, listUsers, withTestStack } from './testing/local-stack';

const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');
const credentials = async () => LOCAL_CREDENTIALS;

test('every check passes on a pool with MFA required; the harness enrols and uses a TOTP authenticator', async () => {
  const props = { ...appProps(HELLO), userPool: { mfa: 'ON' as const } };
  await withTestStack(
    HELLO,
    async (stack) => {
      const log: string[] = [];
      const report = await runContract({
        spec: HELLO,
        outputsFile: stack.outputsFile,
        credentials,
        cases: CHECK_CASES,
        log: (line) => log.push(line),
      });
      expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
      expect(report.results.some((r) => r.name === 'sayHello valid-token')).toBe(true);
      expect(report.results.filter((r) => r.name.endsWith(' user-access-token-scoped')).length).toBeGreaterThan(0);
      // One authenticator for the user, whichever sign-in (the API's or the hosted UI's) came first.
      expect(log.filter((l) => l.includes('enrolled a TOTP authenticator'))).toHaveLength(1);
      // More than one client signs the user in, so at least one sign-in answered SOFTWARE_TOKEN_MFA...
      expect(log.some((l) => l.startsWith('answered SOFTWARE_TOKEN_MFA'))).toBe(true);
      // ...and the hosted UI asked for the authenticator's code or set it up.
      expect(
        log.some(
          (l) =>
            l.startsWith("answered the hosted UI's SOFTWARE_TOKEN_MFA page") ||
            l.includes('enrolled a TOTP authenticator for the test user at the hosted UI'),
        ),
      ).toBe(true);
      expect(await listUsers(stack.outputs)).toEqual([]);
    },
    { props },
  );
}, 120_000);

test('when the hosted UI signs the test user in first, its form driver sets the authenticator up on the set-up page', async () => {
  const props = { ...appProps(HELLO), userPool: { mfa: 'ON' as const } };
  await withTestStack(
    HELLO,
    async (stack) => {
      const log: string[] = [];
      const report = await runContract({
        spec: HELLO,
        outputsFile: stack.outputsFile,
        credentials,
        cases: ['user-access-token-scoped'],
        log: (line) => log.push(line),
      });
      expect(report.results.map((r) => r.name)).toEqual(['listReports user-access-token-scoped']);
      expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
      expect(log.filter((l) => l.includes('enrolled a TOTP authenticator'))).toEqual([
        'the pool requires MFA: enrolled a TOTP authenticator for the test user at the hosted UI (the harness computes its codes, RFC 6238)',
      ]);
      expect(await listUsers(stack.outputs)).toEqual([]);
    },
    { props },
  );
}, 120_000);
