// What SecuredApi synthesizes, read from cdk.tf.json as Terraform would read it (no terraform binary).
import { bindPlaceholders } from '../openapi/model/placeholders';
import { PropsError, SpecError } from '../openapi/model/problems';
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel, Placeholder } from '../openapi/model/types';
import { STANDARD_SCOPES } from '../openapi/model/build-model';
import { OUTPUT_NAMES, SENSITIVE_OUTPUTS } from '../stack/outputs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecuredApi } from './secured-api';
import { loadOutputs } from '../contract-tests/outputs-file';

type OutputsMap = { [key: string]: string | OutputsMap };
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  HELLO_FUNCTION,
  HELLO_HTTP,
  PETS,
  PETSTORE,
  loadDocument,
  onlyResource,
  removeTempDirs,
  referenceTo,
  resourcesOf,
  restDocument,
  synthesize,
  tempDir,
  terraformTemplateValue,
  type SynthesizedStack,
} from './test-helpers';
import { appProps } from '../stack/app-props';
import type { SecuredApiProps } from '../stack/props';
import { ALL_AT_ONCE, PETS_STACK, REFUSED_CASES, expectedIn, summarize } from '../stack/refused-props';
import { PROPS_INPUT } from '../stack/validate-props';

/** The imported document as API Gateway receives it, references shown as `«expression»`. */
async function importedDocument(
  json: SynthesizedStack,
  type: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the parsed document at any depth
): Promise<Record<string, any> /* a parsed OpenAPI document */> {
  return JSON.parse(await terraformTemplateValue(onlyResource(json, type).block.body as string));
}

/** `${a.b.c}` -> `«a.b.c»`, the form terraformTemplateValue shows an interpolation in. */
const shown = (reference: string) => `«${reference.slice(2, -1)}»`;

function clientReference(json: SynthesizedStack, name: string): string {
  const [id] =
    Object.entries(resourcesOf(json, 'aws_cognito_user_pool_client')).find(([, block]) => block.name === name) ?? [];
  if (!id) throw new Error(`no client ${name}`);
  return `\${aws_cognito_user_pool_client.${id}.id}`;
}

const resourceTypes = (json: SynthesizedStack) => Object.keys(json.resource).sort();

let pets: ApiModel;
let hello: ApiModel;
/** hello-http.yaml's audience names web, spa and machine: the clients main.ts deploys it with. */
const HELLO_CLIENTS = appProps(HELLO_HTTP).clients;
beforeAll(async () => {
  [pets, hello] = await Promise.all([loadApiModel(PETS), loadApiModel(HELLO_HTTP)]);
});

afterAll(removeTempDirs);

describe('REST API (cognito_user_pools)', () => {
  it('creates the pool, its clients, resource server and domain, and the REST API with deployment and stage', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE });
    expect(resourceTypes(json)).toEqual([
      'aws_api_gateway_deployment',
      'aws_api_gateway_rest_api',
      'aws_api_gateway_stage',
      'aws_cognito_resource_server',
      'aws_cognito_user_pool',
      'aws_cognito_user_pool_client',
      'aws_cognito_user_pool_domain',
    ]);
    expect(
      Object.values(resourcesOf(json, 'aws_cognito_user_pool_client'))
        .map((c) => c.name)
        .sort(),
    ).toEqual(['machine', 'web']);
    const rest = onlyResource(json, 'aws_api_gateway_rest_api').block;
    expect(rest.name).toBe('Pets');
    const stage = onlyResource(json, 'aws_api_gateway_stage').block;
    expect(stage.stage_name).toBe('prod');
    expect(stage.deployment_id).toBe(referenceTo(json, 'aws_api_gateway_deployment', 'id'));
  });

  it('imports the whole document with providerARNs, audience check and backend bound, nothing else changed', async () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE });
    const poolArn = shown(referenceTo(json, 'aws_cognito_user_pool', 'arn'));
    const webClient = shown(clientReference(json, 'web'));
    const document = await importedDocument(json, 'aws_api_gateway_rest_api');

    const schemes = document.components.securitySchemes;
    expect(schemes.CognitoAuth['x-amazon-apigateway-authorizer'].providerARNs).toEqual([poolArn]);
    expect(schemes.PetsHeaderAuth['x-amazon-apigateway-authorizer'].identityValidationExpression).toBe(
      `^${webClient}$`,
    );
    expect(
      document.paths['/proxy/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].uri,
    ).toBe('https://petstore.example.com/v1/{proxy}');
    const expected = bindPlaceholders(
      pets.body,
      (p: Placeholder) =>
        ({ userPoolArn: poolArn, clientId: webClient, backend: PETSTORE.petstore })[
          p.kind as 'userPoolArn' | 'clientId' | 'backend'
        ],
    );
    expect(document).toEqual(expected);
  });

  it('keeps hard-coded provider ARNs as written, next to the bound pool', async () => {
    const hardCoded = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
    const doc = restDocument();
    doc.components.securitySchemes.CognitoAuth['x-amazon-apigateway-authorizer'].providerARNs = [
      hardCoded,
      '{{userPoolArn}}',
    ];
    const { json } = synthesize({ spec: await loadDocument(doc) });
    const document = await importedDocument(json, 'aws_api_gateway_rest_api');
    expect(document.components.securitySchemes.CognitoAuth['x-amazon-apigateway-authorizer'].providerARNs).toEqual([
      hardCoded,
      shown(referenceTo(json, 'aws_cognito_user_pool', 'arn')),
    ]);
  });

  it('passes mapping templates holding ${ and %{ to API Gateway literally, while placeholders still bind', async () => {
    const doc = restDocument();
    const template =
      '#set($inputRoot = $input.path(\'$\'))\n{"name": "${inputRoot.name}", "pct": "%{x}", "pool": "${{userPoolArn}}", "region": "{{region}}"}';
    doc.paths['/items'].get['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'] =
      template;
    const model = await loadDocument(doc);
    const { json } = synthesize({ spec: model });
    const document = await importedDocument(json, 'aws_api_gateway_rest_api');
    const region = shown(`\${data.aws_region.${Object.keys(json.data?.aws_region ?? {})[0]}.region}`);
    expect(
      document.paths['/items'].get['x-amazon-apigateway-integration'].responses.default.responseTemplates[
        'application/json'
      ],
    ).toBe(
      template
        .replace('{{userPoolArn}}', shown(referenceTo(json, 'aws_cognito_user_pool', 'arn')))
        .replace('{{region}}', region),
    );
  });

  it('writes stage access logs to a log group when asked (the account needs its API Gateway CloudWatch role)', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE, accessLogging: true });
    expect(onlyResource(json, 'aws_cloudwatch_log_group').block).toMatchObject({
      retention_in_days: 30,
      name: '/aws/apigateway/gatehouse-test/prod/access',
    });
    const settings = onlyResource(json, 'aws_api_gateway_stage').block.access_log_settings as {
      destination_arn: string;
      format: string;
    };
    expect(settings.destination_arn).toBe(referenceTo(json, 'aws_cloudwatch_log_group', 'arn'));
    expect(JSON.parse(settings.format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(resourcesOf(synthesize({ spec: pets, backends: PETSTORE }).json, 'aws_cloudwatch_log_group')).toEqual({});
  });

  it('redeploys when and only when the document changes', async () => {
    const triggersOf = (spec: ApiModel, props: object = {}) => {
      const { json } = synthesize({ spec, ...props });
      const deployment = onlyResource(json, 'aws_api_gateway_deployment').block;
      expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
      return { triggers: deployment.triggers as Record<string, string>, json };
    };
    const model = await loadDocument(restDocument());
    const first = triggersOf(model);
    expect(first.triggers).toEqual({
      document: model.bodyHash,
      // Bound values (a replaced pool's ARN) change the imported body without changing the document.
      bound_body: `\${sha256(${referenceTo(first.json, 'aws_api_gateway_rest_api', 'body').slice(2, -1)})}`,
    });

    const reloaded = await loadDocument(restDocument());
    expect(triggersOf(reloaded).triggers).toEqual(first.triggers);
    const otherProps = triggersOf(model, {
      userPool: { mfa: 'ON', passwordPolicy: { minimumLength: 16 } },
      tags: { team: 'a' },
    });
    expect(otherProps.triggers).toEqual(first.triggers);

    const changed = restDocument();
    changed.paths['/health'].get['x-amazon-apigateway-integration'].responses.default.responseTemplates[
      'application/json'
    ] = '{"ok": false}';
    expect(triggersOf(await loadDocument(changed)).triggers.document).not.toBe(first.triggers.document);
  });

  it('creates one resource server per scope prefix, with exactly the document scopes', async () => {
    const doc = restDocument();
    doc.paths['/items'].post = {
      ...doc.paths['/items'].get,
      operationId: 'addItem',
      security: [{ CognitoAuth: ['items/write', 'admin/all'] }],
    };
    doc.paths['/health'].get.security = [{ CognitoAuth: ['openid'] }];
    const model = await loadDocument(doc);
    const { json } = synthesize({ spec: model });
    const servers = Object.values(resourcesOf(json, 'aws_cognito_resource_server'));
    const granted = servers
      .flatMap((s) => (s.scope as { scope_name: string }[]).map((scope) => `${s.identifier}/${scope.scope_name}`))
      .sort();
    expect(granted).toEqual(model.scopes.filter((s) => !STANDARD_SCOPES.includes(s)));
    expect(granted).toEqual(['admin/all', 'items/read', 'items/write']);
    expect(servers.map((s) => s.identifier).sort()).toEqual(['admin', 'items']);

    // A client allowed custom scopes must be created after the servers that define them.
    const machine = Object.values(resourcesOf(json, 'aws_cognito_user_pool_client')).find((c) => c.name === 'machine')!;
    expect(machine.allowed_oauth_scopes).toEqual(['admin/all', 'items/read', 'items/write']);
    expect(machine.depends_on).toEqual(
      Object.keys(resourcesOf(json, 'aws_cognito_resource_server')).map((id) => `aws_cognito_resource_server.${id}`),
    );
  });

  it('refuses placeholders naming undefined clients, functions or backends, all at once with their pointers', async () => {
    const doc = restDocument();
    const scheme = doc.components.securitySchemes.CognitoAuth['x-amazon-apigateway-authorizer'];
    scheme.identityValidationExpression = '^{{clientId:mobile}}$';
    // API Gateway accepts only ID tokens with an identityValidationExpression, so no scopes here.
    doc.paths['/items'].get.security = [{ CognitoAuth: [] }];
    doc.paths['/items'].get['x-amazon-apigateway-integration'] = {
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: '{{backend:inventory}}/items',
    };
    doc.paths['/reports'] = {
      get: {
        operationId: 'reports',
        security: [{ CognitoAuth: [] }],
        responses: { '200': { description: 'Reports' } },
        'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: '{{lambda:report}}' },
      },
    };
    const model = await loadDocument(doc);
    let refused: unknown;
    try {
      synthesize({ spec: model, backends: PETSTORE });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SpecError);
    const problems = (refused as SpecError).problems.map((p) => ({ rule: p.rule, pointer: p.pointer, file: p.file }));
    expect(problems).toEqual([
      {
        rule: 'placeholder-unbound',
        pointer: '/paths/~1items/get/x-amazon-apigateway-integration/uri',
        file: model.file,
      },
      {
        rule: 'placeholder-unbound',
        pointer: '/paths/~1reports/get/x-amazon-apigateway-integration/uri',
        file: model.file,
      },
      {
        rule: 'placeholder-unbound',
        pointer: '/components/securitySchemes/CognitoAuth/x-amazon-apigateway-authorizer/identityValidationExpression',
        file: model.file,
      },
    ]);
    expect((refused as SpecError).message).toContain('Add "mobile" to the SecuredApi prop clients');
    expect((refused as SpecError).message).toContain('Add "report" to the SecuredApi prop functions');
    expect((refused as SpecError).message).toContain('Add "inventory" to the SecuredApi prop backends');
  });
});

describe('HTTP API (jwt)', () => {
  it('creates the HTTP API with an auto-deployed stage, the function and its invoke permission', () => {
    const { json } = synthesize({ spec: hello, clients: HELLO_CLIENTS, functions: HELLO_FUNCTION });
    expect(resourceTypes(json)).toEqual([
      'aws_apigatewayv2_api',
      'aws_apigatewayv2_stage',
      'aws_cognito_resource_server',
      'aws_cognito_user_pool',
      'aws_cognito_user_pool_client',
      'aws_cognito_user_pool_domain',
      'aws_iam_role',
      'aws_iam_role_policy_attachment',
      'aws_lambda_function',
      'aws_lambda_permission',
    ]);
    const api = onlyResource(json, 'aws_apigatewayv2_api').block;
    expect(api).toMatchObject({ name: 'Hello', protocol_type: 'HTTP', fail_on_warnings: true });
    expect(onlyResource(json, 'aws_apigatewayv2_stage').block).toMatchObject({
      api_id: referenceTo(json, 'aws_apigatewayv2_api', 'id'),
      name: 'prod',
      auto_deploy: true,
    });
    expect(onlyResource(json, 'aws_lambda_permission').block).toMatchObject({
      function_name: referenceTo(json, 'aws_lambda_function', 'function_name'),
      principal: 'apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      source_arn: `${referenceTo(json, 'aws_apigatewayv2_api', 'execution_arn')}/*/*`,
    });
    const fn = onlyResource(json, 'aws_lambda_function').block;
    expect(fn).toMatchObject({
      function_name: 'gatehouse-test-hello',
      handler: 'index.handler',
      runtime: 'nodejs20.x',
      role: referenceTo(json, 'aws_iam_role', 'arn'),
    });
    expect(String(fn.filename)).toMatch(/archive\.zip$/);
    expect(String(onlyResource(json, 'aws_iam_role_policy_attachment').block.policy_arn)).toMatch(
      /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/,
    );
  });

  it('binds the jwt issuer to the pool, the audience to the app clients and the integration to the function', async () => {
    const { json } = synthesize({ spec: hello, clients: HELLO_CLIENTS, functions: HELLO_FUNCTION });
    const document = await importedDocument(json, 'aws_apigatewayv2_api');
    const jwt = document.components.securitySchemes.CognitoJwt['x-amazon-apigateway-authorizer'].jwtConfiguration;
    expect(jwt.issuer).toBe(`https://${shown(referenceTo(json, 'aws_cognito_user_pool', 'endpoint'))}`);
    expect(jwt.audience).toEqual([
      shown(clientReference(json, 'web')),
      shown(clientReference(json, 'spa')),
      shown(clientReference(json, 'machine')),
    ]);
    expect(document.paths['/hello'].get['x-amazon-apigateway-integration'].uri).toBe(
      shown(referenceTo(json, 'aws_lambda_function', 'invoke_arn')),
    );
  });

  it('writes stage access logs to a log group when asked', () => {
    const { json } = synthesize({
      spec: hello,
      clients: HELLO_CLIENTS,
      functions: HELLO_FUNCTION,
      accessLogging: { retentionDays: 7 },
      stageName: 'dev',
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group').block).toMatchObject({
      retention_in_days: 7,
      name: '/aws/apigateway/gatehouse-test/dev/access',
    });
    const settings = onlyResource(json, 'aws_apigatewayv2_stage').block.access_log_settings as {
      destination_arn: string;
      format: string;
    };
    expect(settings.destination_arn).toBe(referenceTo(json, 'aws_cloudwatch_log_group', 'arn'));
    expect(JSON.parse(settings.format)).toMatchObject({
      requestId: '$context.requestId',
      authorizerError: '$context.authorizer.error',
    });
  });
});

describe('outputs', () => {
  it('has every output of the contract under its exact name, only client_secrets sensitive', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE });
    expect(Object.keys(json.output).sort()).toEqual([...OUTPUT_NAMES].sort());
    for (const name of OUTPUT_NAMES)
      expect([name, json.output[name].sensitive]).toEqual([name, SENSITIVE_OUTPUTS.includes(name)]);
    expect(json.output.client_secrets.sensitive).toBe(true);
  });

  it('gives every output a description, for REST and HTTP stacks alike', () => {
    for (const { json } of [
      synthesize({ spec: pets, backends: PETSTORE }),
      synthesize({ spec: hello, clients: HELLO_CLIENTS, functions: HELLO_FUNCTION }),
    ]) {
      const described = Object.entries(json.output).map(([name, output]) => [name, output.description?.trim() ?? '']);
      expect(described.map(([name]) => name).sort()).toEqual([...OUTPUT_NAMES].sort());
      expect(described.filter(([, description]) => description === '').map(([name]) => name)).toEqual([]);
    }
  });

  it('describes the stack: API URL, pool, issuer, endpoints and each client', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE, domain: { prefix: 'pets-auth' } });
    const value = (name: string) => json.output[name].value;
    const region = `\${data.aws_region.${Object.keys(json.data?.aws_region ?? {})[0]}.region}`;
    const issuer = `https://${referenceTo(json, 'aws_cognito_user_pool', 'endpoint')}`;
    const domain = `${referenceTo(json, 'aws_cognito_user_pool_domain', 'domain')}.auth.${region}.amazoncognito.com`;
    expect(value('api_url')).toBe(referenceTo(json, 'aws_api_gateway_stage', 'invoke_url'));
    expect(value('api_kind')).toBe('rest');
    expect(value('stage')).toBe('prod');
    expect(value('region')).toBe(region);
    expect(value('user_pool_id')).toBe(referenceTo(json, 'aws_cognito_user_pool', 'id'));
    expect(value('user_pool_arn')).toBe(referenceTo(json, 'aws_cognito_user_pool', 'arn'));
    expect(value('issuer')).toBe(issuer);
    expect(value('jwks_url')).toBe(`${issuer}/.well-known/jwks.json`);
    expect(value('cognito_endpoint')).toBe(`https://cognito-idp.${region}.amazonaws.com`);
    expect(value('hosted_ui_domain')).toBe(domain);
    expect(value('token_endpoint')).toBe(`https://${domain}/oauth2/token`);
    expect(value('hosted_ui_sign_in_url')).toBe(`https://${domain}/login`);
    expect(value('clients')).toEqual({
      web: {
        id: clientReference(json, 'web'),
        has_secret: false,
        auth_flows: ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'],
        oauth_flows: [],
        oauth_scopes: [],
        callback_urls: [],
      },
      machine: {
        id: clientReference(json, 'machine'),
        has_secret: true,
        auth_flows: [],
        oauth_flows: ['client_credentials'],
        oauth_scopes: ['pets/purchase'],
        callback_urls: [],
      },
    });
    expect(value('client_secrets')).toEqual({
      machine: clientReference(json, 'machine').replace('.id}', '.client_secret}'),
    });
  });

  it('points the sign-in URL at the first client that signs people in through the hosted UI', () => {
    const { json } = synthesize({
      spec: pets,
      backends: PETSTORE,
      clients: { web: { oauthFlows: ['code'], callbackUrls: ['https://app.example.com/cb'], oauthScopes: ['openid'] } },
    });
    expect(json.output.hosted_ui_sign_in_url.value).toMatch(
      /\/login\?client_id=\$\{aws_cognito_user_pool_client\.[^}]+\.id\}&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fapp\.example\.com%2Fcb$/,
    );
  });
});

describe('user pool and clients from the props', () => {
  it('maps the defaults: email sign-in, strong passwords, admin-only sign-up, deletion protection', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE });
    expect(onlyResource(json, 'aws_cognito_user_pool').block).toMatchObject({
      name: 'gatehouse-test-users',
      username_attributes: ['email'],
      auto_verified_attributes: ['email'],
      password_policy: {
        minimum_length: 12,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: true,
        temporary_password_validity_days: 7,
      },
      mfa_configuration: 'OFF',
      user_pool_tier: 'ESSENTIALS',
      sign_in_policy: { allowed_first_auth_factors: ['PASSWORD'] },
      account_recovery_setting: { recovery_mechanism: [{ name: 'verified_email', priority: 1 }] },
      admin_create_user_config: { allow_admin_create_user_only: true },
      deletion_protection: 'ACTIVE',
    });
    expect(onlyResource(json, 'aws_cognito_user_pool_domain').block.domain).toBe('gatehouse-test-prod');
  });

  it('maps every pool option and client setting', () => {
    const { json } = synthesize({
      spec: pets,
      backends: PETSTORE,
      userPool: {
        signInAttributes: ['username'],
        mfa: 'ON',
        accountRecovery: 'none',
        adminOnlySignUp: false,
        deletionProtection: false,
        verificationMessage: { emailSubject: 'Your code', emailMessage: 'Code: {####}' },
        tokenValidity: { accessTokenMinutes: 15, idTokenMinutes: 20, refreshTokenDays: 2 },
        featurePlan: 'PLUS',
        signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] },
      },
      clients: {
        web: {
          oauthFlows: ['code'],
          callbackUrls: ['https://app.example.com/cb'],
          logoutUrls: ['https://app.example.com/'],
          refreshTokenRotation: { retryGracePeriodSeconds: 30 },
        },
        machine: { oauthFlows: ['client_credentials'] },
      },
    });
    const pool = onlyResource(json, 'aws_cognito_user_pool').block;
    expect(pool.username_attributes).toBeUndefined();
    expect(pool).toMatchObject({
      mfa_configuration: 'ON',
      software_token_mfa_configuration: { enabled: true },
      user_pool_tier: 'PLUS',
      sign_in_policy: { allowed_first_auth_factors: ['PASSWORD', 'WEB_AUTHN'] },
      account_recovery_setting: { recovery_mechanism: [{ name: 'admin_only', priority: 1 }] },
      admin_create_user_config: { allow_admin_create_user_only: false },
      deletion_protection: 'INACTIVE',
      verification_message_template: {
        default_email_option: 'CONFIRM_WITH_CODE',
        email_subject: 'Your code',
        email_message: 'Code: {####}',
      },
    });
    const clients = Object.fromEntries(
      Object.values(resourcesOf(json, 'aws_cognito_user_pool_client')).map((c) => [c.name, c]),
    );
    expect(clients.web).toMatchObject({
      generate_secret: false,
      explicit_auth_flows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      allowed_oauth_flows: ['code'],
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_scopes: ['openid', 'email', 'profile', 'pets/purchase'],
      supported_identity_providers: ['COGNITO'],
      callback_urls: ['https://app.example.com/cb'],
      logout_urls: ['https://app.example.com/'],
      access_token_validity: 15,
      id_token_validity: 20,
      refresh_token_validity: 2,
      token_validity_units: [{ access_token: 'minutes', id_token: 'minutes', refresh_token: 'days' }],
      refresh_token_rotation: [{ feature: 'ENABLED', retry_grace_period_seconds: 30 }],
    });
    expect(clients.machine.refresh_token_rotation).toBeUndefined();
    expect(clients.machine).toMatchObject({
      generate_secret: true,
      explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      allowed_oauth_flows: ['client_credentials'],
      allowed_oauth_scopes: ['pets/purchase'],
    });
  });

  it('serves a custom hosted-UI domain with its certificate and a Route53 alias', () => {
    const { json } = synthesize({
      spec: pets,
      backends: PETSTORE,
      domain: {
        customDomain: 'auth.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        route53ZoneId: 'Z123',
      },
    });
    expect(onlyResource(json, 'aws_cognito_user_pool_domain').block).toMatchObject({
      domain: 'auth.example.com',
      certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    expect(onlyResource(json, 'aws_route53_record').block).toMatchObject({
      zone_id: 'Z123',
      name: 'auth.example.com',
      type: 'A',
      alias: {
        name: referenceTo(json, 'aws_cognito_user_pool_domain', 'cloudfront_distribution'),
        zone_id: referenceTo(json, 'aws_cognito_user_pool_domain', 'cloudfront_distribution_zone_id'),
        evaluate_target_health: false,
      },
    });
    expect(json.output.hosted_ui_domain.value).toBe(referenceTo(json, 'aws_cognito_user_pool_domain', 'domain'));
  });
});

describe('props AWS would refuse', () => {
  /** What constructing a SecuredApi from these props throws, and the paths of the constructs it left. */
  function construct(props: Omit<SecuredApiProps, 'spec'>, stackName: string) {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), stackName);
    let refused: unknown;
    try {
      new SecuredApi(stack, 'api', { ...props, spec: pets });
    } catch (error) {
      refused = error;
    }
    const created = stack.node.findAll().filter((c) => c.node.path.startsWith(`${stackName}/api/`));
    return { refused, created: created.map((c) => c.node.path) };
  }

  it.each([...REFUSED_CASES, ALL_AT_ONCE])('refuses $name as resolveProps does, before any resource', (refusal) => {
    const { refused, created } = construct(refusal.props, refusal.stackName ?? PETS_STACK);
    expect(refused).toBeInstanceOf(PropsError);
    expect(summarize((refused as PropsError).problems)).toEqual(expectedIn(PROPS_INPUT, refusal.problems));
    expect(created).toEqual([]);
  });
});

describe('loading the document', () => {
  it('reads a path in the constructor, synchronously, as an ordinary cdktf app writes it', () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), 'gatehouse-load');
    const api = new SecuredApi(stack, 'api', { spec: PETS, backends: PETSTORE });
    expect(api.model.file).toBe(PETS);
    expect(api.model.operations.length).toBeGreaterThan(0);
    expect(api.restApi).toBeDefined();
    expect(api.httpApi).toBeUndefined();
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(Object.keys(resourcesOf(json, 'aws_api_gateway_rest_api'))).toHaveLength(1);
  });

  it('gives the same model from a path as fromSpecFile and loadApiModel do', async () => {
    const app = Testing.app({ outdir: tempDir('cdktf') });
    const fromPath = new SecuredApi(new TerraformStack(app, 'a'), 'api', { spec: PETS, backends: PETSTORE });
    const fromFile = await SecuredApi.fromSpecFile(new TerraformStack(app, 'b'), 'api', {
      spec: PETS,
      backends: PETSTORE,
    });
    expect(fromPath.model).toEqual(fromFile.model);
    expect(fromPath.model).toEqual(pets);
  });

  it('refuses a broken document with every problem, naming the file and pointer, before any resource', () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), 'gatehouse-load');
    const broken = 'openapi/broken/security-missing.yaml';
    let thrown: unknown;
    try {
      new SecuredApi(stack, 'api', { spec: broken });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    const problems = (thrown as SpecError).problems.filter((p) => p.severity === 'error');
    expect(problems.map((p) => p.rule)).toContain('security-missing');
    expect(problems.every((p) => p.file.endsWith('security-missing.yaml') && p.pointer.startsWith('/'))).toBe(true);
    expect(stack.node.findAll().filter((c) => c !== stack && c.node.id !== 'api')).toEqual([]);
  });

  it("turns the document's warnings into construct warnings, each once", () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), 'gatehouse-load');
    const api = new SecuredApi(stack, 'api', { spec: PETS, backends: PETSTORE });
    const warnings = api.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.map((w) => String(w.data))).toEqual(
      expect.arrayContaining([expect.stringContaining('[rest-scopes-need-access-token]')]),
    );
    expect(new Set(warnings.map((w) => String(w.data))).size).toBe(warnings.length);
  });
});

describe('several SecuredApi in one stack', () => {
  it('each gets resource names and Terraform outputs of its own', () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), 'gatehouse-shop');
    new SecuredApi(stack, 'orders', { spec: pets, backends: PETSTORE });
    new SecuredApi(stack, 'billing', { spec: hello, clients: HELLO_CLIENTS, functions: HELLO_FUNCTION });
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack & { output: Record<string, unknown> };
    for (const name of OUTPUT_NAMES) {
      expect(json.output).toHaveProperty(`orders_${name}`);
      expect(json.output).toHaveProperty(`billing_${name}`);
    }
    const pools = Object.values(resourcesOf(json, 'aws_cognito_user_pool')).map((b) => b.name);
    expect(pools.sort()).toEqual(['gatehouse-shop-billing-users', 'gatehouse-shop-orders-users']);
    const domains = Object.values(resourcesOf(json, 'aws_cognito_user_pool_domain')).map((b) => b.domain);
    expect(new Set(domains).size).toBe(2);
    const functions = Object.values(resourcesOf(json, 'aws_lambda_function')).map((b) => b.function_name);
    expect(functions).toEqual(['gatehouse-shop-billing-hello']);
  });

  it('the harness finds each one in the outputs file cdktf writes, by its construct id (--api)', () => {
    const outdir = tempDir('cdktf');
    const app = Testing.app({ outdir });
    const stack = new TerraformStack(app, 'gatehouse-shop');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new SecuredApi(stack, 'orders', { spec: pets, backends: PETSTORE });
    new SecuredApi(stack, 'billing', { spec: pets, backends: PETSTORE });
    app.synth();
    const written = fs.readFileSync(path.join(outdir, 'stacks', 'gatehouse-shop', 'cdk.tf.json'), 'utf8');
    const json = JSON.parse(written) as { '//': { outputs: OutputsMap } };
    // As `cdktf output --outputs-file` nests them: the "//".outputs tree, each leaf the deployed value.
    const deployed = (id: string): unknown => {
      const [api, ...name] = id.split('_');
      const values: Record<string, unknown> = {
        api_url: `https://${api}.example.com/prod`,
        api_kind: 'rest',
        stage: 'prod',
        region: 'eu-west-1',
        user_pool_id: `eu-west-1_${api}`,
        user_pool_arn: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_${api}`,
        issuer: `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_${api}`,
        jwks_url: `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_${api}/.well-known/jwks.json`,
        cognito_endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
        token_endpoint: `https://${api}.auth.eu-west-1.amazoncognito.com/oauth2/token`,
        hosted_ui_domain: `${api}.auth.eu-west-1.amazoncognito.com`,
        hosted_ui_sign_in_url: `https://${api}.auth.eu-west-1.amazoncognito.com/login`,
        clients: { web: { id: `${api}web`, has_secret: false, auth_flows: [], oauth_flows: [], oauth_scopes: [] } },
        client_secrets: {},
      };
      return values[name.join('_')];
    };
    const nest = (map: OutputsMap): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(map).map(([key, leaf]) => [key, typeof leaf === 'string' ? deployed(leaf) : nest(leaf)]),
      );
    const file = path.join(tempDir('outputs'), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ 'gatehouse-shop': nest(json['//'].outputs) }));

    expect(loadOutputs(file, { api: 'orders' }).api_url).toBe('https://orders.example.com/prod');
    expect(loadOutputs(file, { api: 'billing' }).user_pool_id).toBe('eu-west-1_billing');
    expect(() => loadOutputs(file)).toThrow(
      /\[outputs-api\][\s\S]*several gatehouse APIs[\s\S]*fix: Choose one with --api/,
    );
    expect(() => loadOutputs(file, { api: 'shipping' })).toThrow(
      /--api \[outputs-api\][\s\S]*no gatehouse API "shipping"/,
    );
  });

  it('keeps the plain output names for the construct with the id api', () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir('cdktf') }), 'gatehouse-shop');
    new SecuredApi(stack, 'api', { spec: pets, backends: PETSTORE });
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack & { output: Record<string, unknown> };
    expect(Object.keys(json.output).sort()).toEqual([...OUTPUT_NAMES].sort());
  });
});

// How long this takes is measured in bench/synth-scale.ts, not asserted here: a unit test's wall time
// depends on the machine and its load.
describe('a large document', () => {
  it('synthesizes a 1,000-operation document with every operation in the REST API body', async () => {
    const doc = restDocument();
    for (let i = 0; i < 1000; i++)
      doc.paths[`/r${i}`] = {
        get: { ...doc.paths['/items'].get, operationId: `op${i}`, security: [{ CognitoAuth: [] }] },
      };
    const model = await loadDocument(doc);
    const { json } = synthesize({ spec: model });
    expect(
      Object.keys(JSON.parse(onlyResource(json, 'aws_api_gateway_rest_api').block.body as string).paths),
    ).toHaveLength(1002);
  });
});
