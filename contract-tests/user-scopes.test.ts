// Scopes only a user's OAuth token carries get their positive check from the hosted UI's code flow, and every
// check that cannot run says why (the real cause, not a guess): runContract over real HTTP against the local stack.
import * as path from 'node:path';
import type { SecuredApiProps } from '../stack/props';
import { runContract } from './run';
import type { ContractReport } from './report';
import { LOCAL_CREDENTIALS, withTestStack } from './testing/local-stack';

const USER_SCOPES = path.join(__dirname, 'fixtures', 'user-scopes-rest.yaml');
const NARROW_AUDIENCE = path.join(__dirname, 'fixtures', 'narrow-audience-http.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
const CALLBACK = 'http://localhost:3000/callback';

const failed = (report: ContractReport) => report.results.filter((r) => !r.passed).map((r) => r.name);
const ran = (report: ContractReport, name: string) => report.results.find((r) => r.name === name);
const reasonOf = (report: ContractReport, operation: string, c: string) =>
  report.omitted.find((o) => o.operation === operation && o.case === c)?.reason;

test('standard scopes and a custom scope no machine may request are checked with the code + PKCE user token', async () => {
  const props: SecuredApiProps = {
    spec: USER_SCOPES,
    clients: {
      web: {},
      machine: { oauthFlows: ['client_credentials'], oauthScopes: ['api/orders'] },
      spa: {
        oauthFlows: ['code'],
        oauthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin', 'api/reports', 'api/orders'],
        callbackUrls: [CALLBACK],
      },
    },
  };
  await withTestStack(
    USER_SCOPES,
    async (stack) => {
      const report = await runContract({ spec: USER_SCOPES, outputsFile: stack.outputsFile, credentials });
      expect(failed(report)).toEqual([]);
      for (const operation of ['getProfile', 'getEmail', 'getAccount', 'listReports']) {
        expect(ran(report, `${operation} user-access-token-scoped`)).toMatchObject({
          passed: true,
          got: { status: 200 },
        });
        // No client_credentials token can hold the scope, so the user's token is the valid one the forgeries start from.
        expect(ran(report, `${operation} valid-token`)?.description).toMatch(
          /hosted UI \(code \+ PKCE\) via client "spa"/,
        );
        expect(ran(report, `${operation} alg-none`)?.passed).toBe(true);
      }
      // A scope a machine may request keeps the client_credentials token as its valid one, and the user's as well.
      expect(ran(report, 'listOrders valid-token')?.description).toMatch(
        /client_credentials access token of "machine"/,
      );
      expect(ran(report, 'listOrders user-access-token-scoped')?.passed).toBe(true);
      // A user's token holding a scope the method does not name is refused.
      expect(ran(report, 'getProfile missing-scope')).toMatchObject({ passed: true, got: { status: 401 } });

      expect(report.omitted.filter((o) => o.operation === 'getPhone')).toEqual(
        [
          {
            case: 'valid-token',
            reason:
              'client_credentials tokens carry only custom scopes, not phone; no client with the code flow and a callback URL ("spa") may request phone',
          },
          {
            case: 'user-access-token-scoped',
            reason: 'no client with the code flow and a callback URL ("spa") may request phone',
          },
          ...[
            'alg-none',
            'hs256-with-public-key',
            'unknown-kid',
            'jku-attacker-key',
            'embedded-jwk-attacker-key',
            'tampered-payload',
          ].map((c) => ({ case: c, reason: 'needs a valid token to forge from' })),
          { case: 'expired', reason: 'needs a valid token whose expired copy the token store could hold' },
        ].map((o) => ({ operation: 'getPhone', ...o })),
      );
      // Every other operation ran its positive check: nothing else is left unrun for want of a token.
      expect(report.omitted.filter((o) => o.operation !== 'getPhone' && o.case === 'user-access-token-scoped')).toEqual(
        [],
      );
    },
    { props },
  );
});

test('a jwt audience without the machine and hosted-UI clients is named as the reason their scoped checks do not run', async () => {
  const props: SecuredApiProps = {
    spec: NARROW_AUDIENCE,
    backends: { echo: 'https://backend.example.com' },
    clients: {
      web: {},
      machine: { oauthFlows: ['client_credentials'] },
      spa: { oauthFlows: ['code'], callbackUrls: [CALLBACK] },
    },
  };
  await withTestStack(
    NARROW_AUDIENCE,
    async (stack) => {
      const report = await runContract({ spec: NARROW_AUDIENCE, outputsFile: stack.outputsFile, credentials });
      expect(failed(report)).toEqual([]);
      expect(ran(report, 'sayHello valid-token')?.passed).toBe(true);
      const audience = `outside the jwt audience of authorizer CognitoJwt (${stack.outputs.clients.web.id})`;
      expect(reasonOf(report, 'getScope3', 'valid-token')).toBe(
        `"machine" is ${audience}, though allowed api/scope3 by client_credentials; "spa" is ${audience}, though allowed api/scope3 in the code flow`,
      );
      expect(reasonOf(report, 'getScope3', 'user-access-token-scoped')).toBe(
        `"spa" is ${audience}, though allowed api/scope3 in the code flow`,
      );
      expect(report.omitted.map((o) => o.reason).join('\n')).not.toMatch(/no client_credentials client/);
    },
    { props },
  );
});
