// Test support: a stack to run the harness against until the local stack (local/stack.ts) exists, with the
// same shape of result as its startLocalStack: cognito-local (user pools, users, InitiateAuth, JWKS), a
// client_credentials token server, and the fake gateway. Clients are the ones the module would create.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadApiModel } from '../../openapi/model/load';
import type { StackOutputs, PoolOutput, ClientOutput } from '../../modules/outputs';
import { appProps } from '../../modules/app-props';
import { resolveProps } from '../../modules/resolve';
import { bindAuthorizers } from '../binding';
import type { CognitoLocal } from './cognito-local';
import { startCognitoLocalProcess } from './cognito-local-process';
import { startTokenServer, type TokenServer } from './token-server';
import { startFakeGateway, type GatewayFaults, type FakeGateway } from './fake-gateway';

export interface FixtureStack {
  outputs: StackOutputs;
  outputsFile: string;
  cognito: CognitoLocal;
  tokenServer: TokenServer;
  gateway: FakeGateway;
  /** Usernames in the main pool now. */
  listUsers(): Promise<string[]>;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function createPool(admin: CognitoIdentityProviderClient, cognito: CognitoLocal, name: string, region: string) {
  const created = await admin.send(
    new CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    }),
  );
  const id = created.UserPool!.Id!;
  const issuer = cognito.issuerOf(id);
  const pool: PoolOutput = {
    user_pool_id: id,
    user_pool_arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
    issuer,
    jwks_url: `${issuer}/.well-known/jwks.json`,
    cognito_endpoint: cognito.endpoint,
    token_endpoint: '',
    clients: {},
  };
  return pool;
}

export async function startFixtureStack(options: { spec: string; faults?: GatewayFaults; extraPool?: boolean }): Promise<FixtureStack> {
  const model = await loadApiModel(options.spec);
  const resolved = resolveProps(appProps(options.spec), model, 'fixture');
  const region = 'local-1';
  const cognito = await startCognitoLocalProcess();
  const admin = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const started: { stop(): Promise<void> }[] = [cognito];
  try {
    const pool = await createPool(admin, cognito, 'fixture-users', region);
    const secrets: Record<string, string> = {};
    const machineClients = [];
    for (const client of Object.values(resolved.clients)) {
      const made = await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool.user_pool_id, ClientName: client.name, GenerateSecret: client.generateSecret, ExplicitAuthFlows: client.explicitAuthFlows.map((f) => `ALLOW_${f}`) as never }),
      );
      const output: ClientOutput = { id: made.UserPoolClient!.ClientId!, has_secret: client.generateSecret, auth_flows: client.explicitAuthFlows, oauth_flows: client.oauthFlows, oauth_scopes: client.oauthScopes };
      pool.clients[client.name] = output;
      if (made.UserPoolClient!.ClientSecret) secrets[client.name] = made.UserPoolClient!.ClientSecret;
      if (client.oauthFlows.includes('client_credentials')) machineClients.push({ id: output.id, secret: secrets[client.name], scopes: client.oauthScopes });
    }
    const tokenServer = await startTokenServer({ issuer: pool.issuer, keyPem: cognito.signingKeyPem, kid: cognito.signingKid, clients: machineClients });
    started.push(tokenServer);
    pool.token_endpoint = tokenServer.url;

    const outputs: StackOutputs = {
      ...pool,
      api_url: '',
      api_kind: model.kind,
      stage: resolved.stageName,
      region,
      hosted_ui_domain: '',
      hosted_ui_sign_in_url: '',
      client_secrets: secrets,
    };
    if (options.extraPool) {
      const other = await createPool(admin, cognito, 'fixture-other', region);
      const made = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: other.user_pool_id, ClientName: 'other-web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
      other.clients['other-web'] = { id: made.UserPoolClient!.ClientId!, has_secret: false, auth_flows: ['USER_PASSWORD_AUTH'], oauth_flows: [], oauth_scopes: [] };
      outputs.extra_pools = { [other.user_pool_arn]: { ...other, client_secrets: {} } };
    }
    const gateway = await startFakeGateway({ model, authorizers: bindAuthorizers(model, outputs), poolIssuer: pool.issuer, jwksUrl: pool.jwks_url, stage: resolved.stageName, faults: options.faults });
    started.push(gateway);
    outputs.api_url = gateway.url;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fixture-'));
    const outputsFile = path.join(dir, 'outputs.json');
    fs.writeFileSync(outputsFile, JSON.stringify(outputs, null, 2));
    return {
      outputs,
      outputsFile,
      cognito,
      tokenServer,
      gateway,
      async listUsers() {
        const listed = await admin.send(new ListUsersCommand({ UserPoolId: pool.user_pool_id }));
        return (listed.Users ?? []).map((u) => u.Username ?? '');
      },
      async stop() {
        admin.destroy();
        for (const s of started.reverse()) await s.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    admin.destroy();
    for (const s of started.reverse()) await s.stop();
    throw error;
  }
}
