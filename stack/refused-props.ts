// Props AWS would refuse, each with the problems stack/validate-props.ts must report for openapi/pets.yaml:
// shared by the tests of resolveProps, SecuredApi and the local stack, so all three refuse exactly the same.
import type { Problem } from '../openapi/model/problems';
import type { SecuredApiProps } from './props';

/** A problem as the tests compare it: the rule, where it points and the value it must echo. */
export interface ExpectedProblem {
  rule: string;
  pointer: string;
  /** Appears in the message as `(received: <this>)`. */
  received: string;
}

export interface RefusedCase {
  name: string;
  /** Props for pets.yaml, less the spec; the stack is PETS_STACK unless it says otherwise. */
  props: Omit<SecuredApiProps, 'spec'>;
  stackName?: string;
  problems: ExpectedProblem[];
}

export const PETS_STACK = 'gatehouse-pets';
/** pets.yaml binds `{{backend:petstore}}`. */
const backends = { petstore: 'https://petstore.example.com/v1' };

export const REFUSED_CASES: RefusedCase[] = [
  {
    name: 'a password length of 3',
    props: { backends, userPool: { passwordPolicy: { minimumLength: 3 } } },
    problems: [{ rule: 'props-password-length', pointer: '/userPool/passwordPolicy/minimumLength', received: '3' }],
  },
  {
    name: 'a password length of 100 and a fractional one of temporary-password days',
    props: {
      backends,
      userPool: { passwordPolicy: { minimumLength: 100, temporaryPasswordValidityDays: 1.5 } },
    },
    problems: [
      { rule: 'props-password-length', pointer: '/userPool/passwordPolicy/minimumLength', received: '100' },
      {
        rule: 'props-temporary-password-validity',
        pointer: '/userPool/passwordPolicy/temporaryPasswordValidityDays',
        received: '1.5',
      },
    ],
  },
  {
    name: 'a 1-minute access token, a 2-day ID token and a 0-day refresh token',
    props: {
      backends,
      userPool: { tokenValidity: { accessTokenMinutes: 1, idTokenMinutes: 2880, refreshTokenDays: 0 } },
    },
    problems: [
      { rule: 'props-token-validity', pointer: '/userPool/tokenValidity/accessTokenMinutes', received: '1' },
      { rule: 'props-token-validity', pointer: '/userPool/tokenValidity/idTokenMinutes', received: '2880' },
      { rule: 'props-token-validity', pointer: '/userPool/tokenValidity/refreshTokenDays', received: '0' },
    ],
  },
  {
    name: 'a refresh token of 11 years',
    props: { backends, userPool: { tokenValidity: { refreshTokenDays: 11 * 365 } } },
    problems: [{ rule: 'props-token-validity', pointer: '/userPool/tokenValidity/refreshTokenDays', received: '4015' }],
  },
  {
    name: 'refresh-token rotation grace periods of 61 and of 1.5 seconds',
    props: {
      backends,
      clients: {
        web: { refreshTokenRotation: { retryGracePeriodSeconds: 61 } },
        partner: { refreshTokenRotation: { retryGracePeriodSeconds: 1.5 } },
      },
    },
    problems: [
      {
        rule: 'props-refresh-token-rotation',
        pointer: '/clients/web/refreshTokenRotation/retryGracePeriodSeconds',
        received: '61',
      },
      {
        rule: 'props-refresh-token-rotation',
        pointer: '/clients/partner/refreshTokenRotation/retryGracePeriodSeconds',
        received: '1.5',
      },
    ],
  },
  {
    name: 'choice-based sign-in on the Lite feature plan: an e-mail first factor and a USER_AUTH client',
    props: {
      backends,
      userPool: { featurePlan: 'LITE', signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      clients: { web: { explicitAuthFlows: ['USER_AUTH', 'REFRESH_TOKEN_AUTH'] } },
    },
    problems: [
      {
        rule: 'props-sign-in-policy',
        pointer: '/userPool/signInPolicy/allowedFirstAuthFactors',
        received: '["PASSWORD","EMAIL_OTP"]',
      },
      {
        rule: 'props-sign-in-policy',
        pointer: '/clients/web/explicitAuthFlows',
        received: '["USER_AUTH","REFRESH_TOKEN_AUTH"]',
      },
    ],
  },
  {
    name: 'a sign-in policy naming PASSWORD twice',
    props: { backends, userPool: { signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'PASSWORD'] } } },
    problems: [
      {
        rule: 'props-sign-in-policy',
        pointer: '/userPool/signInPolicy/allowedFirstAuthFactors',
        received: '["PASSWORD","PASSWORD"]',
      },
    ],
  },
  {
    name: 'client_credentials with code on a client without a secret',
    props: {
      backends,
      clients: {
        web: {},
        both: {
          generateSecret: false,
          oauthFlows: ['client_credentials', 'code'],
          callbackUrls: ['https://app.example.com/cb'],
        },
      },
    },
    problems: [
      { rule: 'props-oauth-flows', pointer: '/clients/both/oauthFlows', received: '["client_credentials","code"]' },
      { rule: 'props-oauth-flows', pointer: '/clients/both/generateSecret', received: 'false' },
    ],
  },
  {
    name: 'client_credentials with implicit',
    props: {
      backends,
      clients: {
        web: { oauthFlows: ['implicit', 'client_credentials'], callbackUrls: ['https://app.example.com/cb'] },
      },
    },
    problems: [
      {
        rule: 'props-oauth-flows',
        pointer: '/clients/web/oauthFlows',
        received: '["implicit","client_credentials"]',
      },
    ],
  },
  {
    name: 'code and implicit without callback URLs',
    props: {
      backends,
      clients: { web: {}, spa: { oauthFlows: ['code'] }, legacy: { oauthFlows: ['implicit'], callbackUrls: [] } },
    },
    problems: [
      { rule: 'props-oauth-flows', pointer: '/clients/spa/callbackUrls', received: 'none' },
      { rule: 'props-oauth-flows', pointer: '/clients/legacy/callbackUrls', received: '[]' },
    ],
  },
  {
    name: 'callback and sign-out URLs Cognito refuses, and a scope no resource server defines',
    props: {
      backends,
      clients: {
        web: {
          oauthFlows: ['code'],
          oauthScopes: ['openid', 'pets/adopt'],
          callbackUrls: ['https://app.example.com/cb', 'http://app.example.com/cb', '/cb'],
          logoutUrls: ['https://app.example.com/#out'],
        },
      },
    },
    problems: [
      { rule: 'props-redirect-url', pointer: '/clients/web/callbackUrls/1', received: '"http://app.example.com/cb"' },
      { rule: 'props-redirect-url', pointer: '/clients/web/callbackUrls/2', received: '"/cb"' },
      { rule: 'props-redirect-url', pointer: '/clients/web/logoutUrls/0', received: '"https://app.example.com/#out"' },
      { rule: 'props-oauth-scope', pointer: '/clients/web/oauthScopes/1', received: '"pets/adopt"' },
    ],
  },
  {
    name: 'a domain prefix with upper case, an underscore and a leading hyphen',
    props: { backends, domain: { prefix: '-Pets_Auth' } },
    problems: [{ rule: 'props-domain-prefix', pointer: '/domain/prefix', received: '"-Pets_Auth"' }],
  },
  {
    name: 'a domain prefix of 64 characters',
    props: { backends, domain: { prefix: 'p'.repeat(64) } },
    problems: [{ rule: 'props-domain-prefix', pointer: '/domain/prefix', received: `"${'p'.repeat(64)}"` }],
  },
  {
    name: 'a domain prefix holding a reserved word',
    props: { backends, domain: { prefix: 'my-amazon-login' } },
    problems: [{ rule: 'props-domain-prefix', pointer: '/domain/prefix', received: '"my-amazon-login"' }],
  },
  {
    name: 'a custom domain with a certificate outside us-east-1',
    props: {
      backends,
      domain: {
        customDomain: 'auth.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        route53ZoneId: 'Z123',
      },
    },
    problems: [
      {
        rule: 'props-custom-domain',
        pointer: '/domain/certificateArn',
        received: '"arn:aws:acm:eu-west-1:123456789012:certificate/abc"',
      },
    ],
  },
  {
    name: 'an API domain that is no host name, an edge certificate outside us-east-1, a base path in slashes and a zone id in lower case',
    props: {
      backends,
      apiDomain: {
        domainName: 'api_example',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        endpointType: 'EDGE',
        basePath: '/v1/',
        route53ZoneId: 'z0123abc',
      },
    },
    problems: [
      { rule: 'props-api-domain', pointer: '/apiDomain/domainName', received: '"api_example"' },
      {
        rule: 'props-api-domain',
        pointer: '/apiDomain/certificateArn',
        received: '"arn:aws:acm:eu-west-1:123456789012:certificate/abc"',
      },
      { rule: 'props-api-domain', pointer: '/apiDomain/basePath', received: '"/v1/"' },
      { rule: 'props-api-domain', pointer: '/apiDomain/route53ZoneId', received: '"z0123abc"' },
    ],
  },
  {
    name: "an API domain on the hosted UI's own custom domain, with a certificate that is no ACM ARN",
    props: {
      backends,
      domain: {
        customDomain: 'auth.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        route53ZoneId: 'Z123',
      },
      apiDomain: { domainName: 'auth.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/api' },
    },
    problems: [
      { rule: 'props-api-domain', pointer: '/apiDomain/domainName', received: '"auth.example.com"' },
      {
        rule: 'props-api-domain',
        pointer: '/apiDomain/certificateArn',
        received: '"arn:aws:iam::123456789012:server-certificate/api"',
      },
    ],
  },
  {
    name: 'functions in a VPC without subnets, with a subnet id and a security group id of the wrong shape, and without groups',
    props: {
      backends,
      functions: {
        orders: {
          sourceDir: 'lambda/hello',
          vpc: { subnetIds: [], securityGroupIds: ['sg-0123456789abcdef0', 'sg-XYZ'] },
        },
        reports: { sourceDir: 'lambda/hello', vpc: { subnetIds: ['subnet-123'], securityGroupIds: [] } },
      },
    },
    problems: [
      { rule: 'props-function-vpc', pointer: '/functions/orders/vpc/subnetIds', received: '[]' },
      { rule: 'props-function-vpc', pointer: '/functions/orders/vpc/securityGroupIds/1', received: '"sg-XYZ"' },
      { rule: 'props-function-vpc', pointer: '/functions/reports/vpc/subnetIds/0', received: '"subnet-123"' },
      { rule: 'props-function-vpc', pointer: '/functions/reports/vpc/securityGroupIds', received: '[]' },
    ],
  },
  {
    name: 'function names Lambda refuses once the stack name is in front, and their timeout and memory',
    props: {
      backends,
      functions: {
        'say hello': { sourceDir: 'lambda/hello' },
        ['x'.repeat(50)]: { sourceDir: 'lambda/hello', timeoutSeconds: 901, memoryMb: 64 },
      },
    },
    problems: [
      { rule: 'props-function-name', pointer: '/functions/say hello', received: '"say hello"' },
      { rule: 'props-function-name', pointer: `/functions/${'x'.repeat(50)}`, received: `"${'x'.repeat(50)}"` },
      { rule: 'props-function-timeout', pointer: `/functions/${'x'.repeat(50)}/timeoutSeconds`, received: '901' },
      { rule: 'props-function-memory', pointer: `/functions/${'x'.repeat(50)}/memoryMb`, received: '64' },
    ],
  },
  {
    name: 'a stage name with a space, a log retention CloudWatch lacks and a backend without a scheme',
    props: {
      stageName: 'my stage',
      accessLogging: { retentionDays: 10 },
      backends: { petstore: 'petstore.example.com' },
      domain: { prefix: 'pets-auth' },
    },
    problems: [
      { rule: 'props-stage-name', pointer: '/stageName', received: '"my stage"' },
      { rule: 'props-log-retention', pointer: '/accessLogging/retentionDays', received: '10' },
      { rule: 'props-backend-url', pointer: '/backends/petstore', received: '"petstore.example.com"' },
    ],
  },
  {
    name: 'verification messages without the code placeholder and a reserved tag key',
    props: {
      backends,
      userPool: { verificationMessage: { emailMessage: 'Your code, soon', smsMessage: 'Code: {###}' } },
      tags: { 'aws:owner': 'me' },
    },
    problems: [
      {
        rule: 'props-verification-message',
        pointer: '/userPool/verificationMessage/emailMessage',
        received: '"Your code, soon"',
      },
      {
        rule: 'props-verification-message',
        pointer: '/userPool/verificationMessage/smsMessage',
        received: '"Code: {###}"',
      },
      { rule: 'props-tag', pointer: '/tags/aws:owner', received: '"aws:owner"' },
    ],
  },
];

/** Every case's props at once where they do not overlap: one PropsError must carry all their problems. */
export const ALL_AT_ONCE: RefusedCase = {
  name: 'a password length of 3, a 1-minute access token and client_credentials with code without a secret',
  props: {
    backends: { petstore: 'petstore.example.com' },
    userPool: { passwordPolicy: { minimumLength: 3 }, tokenValidity: { accessTokenMinutes: 1 } },
    clients: {
      web: {},
      both: { generateSecret: false, oauthFlows: ['client_credentials', 'code'] },
    },
    domain: { prefix: 'cognito-pets' },
    functions: { 'say hello': { sourceDir: 'lambda/hello' } },
  },
  problems: [
    { rule: 'props-password-length', pointer: '/userPool/passwordPolicy/minimumLength', received: '3' },
    { rule: 'props-token-validity', pointer: '/userPool/tokenValidity/accessTokenMinutes', received: '1' },
    { rule: 'props-oauth-flows', pointer: '/clients/both/oauthFlows', received: '["client_credentials","code"]' },
    { rule: 'props-oauth-flows', pointer: '/clients/both/generateSecret', received: 'false' },
    { rule: 'props-oauth-flows', pointer: '/clients/both/callbackUrls', received: 'none' },
    { rule: 'props-domain-prefix', pointer: '/domain/prefix', received: '"cognito-pets"' },
    { rule: 'props-function-name', pointer: '/functions/say hello', received: '"say hello"' },
    { rule: 'props-backend-url', pointer: '/backends/petstore', received: '"petstore.example.com"' },
  ],
};

/** A problem as the cases state it, with the input it names (the severity is always error). */
export function summarize(problems: Problem[]): (ExpectedProblem & { file: string; severity: string })[] {
  return problems.map((p) => ({
    severity: p.severity,
    rule: p.rule,
    file: p.file,
    pointer: p.pointer,
    received: /\(received: (.*)\)\.$/.exec(p.message)?.[1] ?? `no "(received: ...)." in: ${p.message}`,
  }));
}

/** The cases' problems as summarize gives them, for props from `file`. */
export function expectedIn(file: string, problems: ExpectedProblem[]) {
  return problems.map((p) => ({ severity: 'error', rule: p.rule, file, pointer: p.pointer, received: p.received }));
}
