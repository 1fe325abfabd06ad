// resolveProps refuses what AWS would refuse at `terraform apply`: every case with its pointer, the value it
// received and a fix, all problems in one PropsError; and accepts the bounds AWS documents as they are.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { PropsError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { appProps, stackNameOf } from './app-props';
import type { SecuredApiProps } from './props';
import { ALL_AT_ONCE, PETS_STACK, REFUSED_CASES, expectedIn, summarize } from './refused-props';
import { resolveProps } from './resolve';
import { PROPS_INPUT } from './validate-props';

const ROOT = path.join(__dirname, '..');
let pets: ApiModel;
let hello: ApiModel;
beforeAll(async () => {
  [pets, hello] = await Promise.all([
    loadApiModel(path.join(ROOT, 'openapi/pets.yaml')),
    loadApiModel(path.join(ROOT, 'openapi/hello-http.yaml')),
  ]);
});

function refusal(resolve: () => unknown): PropsError {
  try {
    resolve();
  } catch (error) {
    if (error instanceof PropsError) return error;
    throw error;
  }
  throw new Error('the props were accepted');
}

describe('resolveProps refuses', () => {
  test.each(REFUSED_CASES)('$name', ({ props, stackName, problems }) => {
    const error = refusal(() => resolveProps({ ...props, spec: pets }, pets, stackName ?? PETS_STACK));
    expect(summarize(error.problems)).toEqual(expectedIn(PROPS_INPUT, problems));
    for (const problem of error.problems) expect(problem.fix).toMatch(/\S/);
  });

  test('every problem at once, in one PropsError', () => {
    const error = refusal(() => resolveProps({ ...ALL_AT_ONCE.props, spec: pets }, pets, PETS_STACK));
    expect(summarize(error.problems)).toEqual(expectedIn(PROPS_INPUT, ALL_AT_ONCE.problems));
    expect(error.message).toMatch(/^8 problems in the props:\n/);
  });

  test('printed by formatProblems: where, rule, the value received and the fix', () => {
    const error = refusal(() =>
      resolveProps({ spec: pets, userPool: { passwordPolicy: { minimumLength: 3 } } }, pets, PETS_STACK),
    );
    expect(error.message).toBe(
      [
        '1 problem in the props:',
        'error SecuredApi props#/userPool/passwordPolicy/minimumLength [props-password-length]',
        '  The minimum password length must be 6 to 99 characters (received: 3).',
        '  fix: Set userPool.passwordPolicy.minimumLength to a whole number from 6 to 99, or leave it out for 12.',
      ].join('\n'),
    );
  });

  test('naming the file the props came from, when they came from one', () => {
    const file = path.join(ROOT, 'gatehouse.props.json');
    const error = refusal(() =>
      resolveProps({ spec: pets, userPool: { tokenValidity: { accessTokenMinutes: 1 } } }, pets, PETS_STACK, file),
    );
    expect(summarize(error.problems)).toEqual(
      expectedIn(file, [
        { rule: 'props-token-validity', pointer: '/userPool/tokenValidity/accessTokenMinutes', received: '1' },
      ]),
    );
  });

  test('a number given as a string (props from JavaScript or JSON), with the string echoed', () => {
    const policy = { minimumLength: '8' } as unknown as { minimumLength: number };
    const error = refusal(() => resolveProps({ spec: pets, userPool: { passwordPolicy: policy } }, pets, PETS_STACK));
    expect(error.problems.map((p) => p.message)).toEqual([
      'The minimum password length must be 6 to 99 characters (received: "8").',
    ]);
  });
});

describe('resolveProps accepts', () => {
  test('the props main.ts deploys each example document with', () => {
    for (const model of [pets, hello])
      expect(() => resolveProps(appProps(model.file), model, stackNameOf(model.title))).not.toThrow();
  });

  test('the bounds AWS documents, inclusive', () => {
    const atBounds = (min: boolean): SecuredApiProps => ({
      spec: pets,
      stageName: min ? 'a' : 's'.repeat(128),
      userPool: {
        passwordPolicy: { minimumLength: min ? 6 : 99, temporaryPasswordValidityDays: min ? 0 : 365 },
        tokenValidity: {
          accessTokenMinutes: min ? 5 : 1440,
          idTokenMinutes: min ? 5 : 1440,
          refreshTokenDays: min ? 1 : 3650,
        },
        verificationMessage: { emailMessage: '{####}', smsMessage: `${'x'.repeat(134)}{####}`, emailSubject: 'S' },
      },
      clients: {
        web: {},
        spa: {
          oauthFlows: ['code', 'implicit'],
          callbackUrls: ['http://localhost:3000/callback', 'myapp://callback', 'https://app.example.com/cb'],
          logoutUrls: ['http://127.0.0.1:3000/'],
          oauthScopes: ['openid', 'phone', 'aws.cognito.signin.user.admin', 'pets/purchase'],
        },
        machine: { oauthFlows: ['client_credentials'] },
      },
      domain: { prefix: min ? 'a' : `a${'-'.repeat(61)}b` },
      functions: {
        [min ? 'f' : 'f'.repeat(64 - `${PETS_STACK}-`.length)]: {
          sourceDir: 'lambda/hello',
          timeoutSeconds: min ? 1 : 900,
          memoryMb: min ? 128 : 10240,
        },
      },
      accessLogging: { retentionDays: min ? 0 : 3653 },
      backends: { petstore: 'http://127.0.0.1:8080' },
      tags: { ['k'.repeat(128)]: 'v'.repeat(256) },
    });
    expect(() => resolveProps(atBounds(true), pets, PETS_STACK)).not.toThrow();
    expect(() => resolveProps(atBounds(false), pets, PETS_STACK)).not.toThrow();
  });

  test('a custom domain with its certificate in us-east-1, and $default as an HTTP API stage', () => {
    const domain = {
      customDomain: 'auth.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-123456789012',
      route53ZoneId: 'Z123',
    };
    expect(resolveProps({ spec: pets, domain }, pets, PETS_STACK).domain).toEqual(domain);
    const props = { ...appProps(hello.file), stageName: '$default', domain: { prefix: 'hello-auth' } };
    expect(resolveProps(props, hello, 'gatehouse-hello').stageName).toBe('$default');
    expect(summarize(refusal(() => resolveProps({ ...props, spec: pets }, pets, PETS_STACK)).problems)).toEqual(
      expectedIn(PROPS_INPUT, [{ rule: 'props-stage-name', pointer: '/stageName', received: '"$default"' }]),
    );
  });
});
