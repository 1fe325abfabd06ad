// The hosted UI's sign-up links in the module's outputs (the guide's SignupGetCodeURL and SignupGetTokenURL),
// built by the same builder as the sign-in URL, for each client that signs people in at the hosted UI.
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel } from '../openapi/model/types';
import { PETS, PETSTORE, removeTempDirs, resourcesOf, synthesize, type SynthesizedStack } from './test-helpers';

let pets: ApiModel;
beforeAll(async () => {
  pets = await loadApiModel(PETS);
});
afterAll(removeTempDirs);

const outputOf = (json: SynthesizedStack, name: string): unknown =>
  (json as unknown as { output: Record<string, { value: unknown }> }).output[name].value;

function clientId(json: SynthesizedStack, name: string): string {
  const [id] =
    Object.entries(resourcesOf(json, 'aws_cognito_user_pool_client')).find(([, block]) => block.name === name) ?? [];
  return `\${aws_cognito_user_pool_client.${id}.id}`;
}

const CLIENTS = {
  // Both flows for people: a link for each.
  spa: {
    oauthFlows: ['code', 'implicit'] as ('code' | 'implicit')[],
    callbackUrls: ['https://app.example.com/cb'],
    oauthScopes: ['openid', 'email'],
  },
  legacy: { oauthFlows: ['implicit'] as 'implicit'[], callbackUrls: ['myapp://signed-in'], oauthScopes: ['openid'] },
  // Signs in with a password only: no hosted UI, no link.
  web: {},
  machine: { oauthFlows: ['client_credentials'] as 'client_credentials'[] },
};

describe('hosted_ui_sign_up_urls', () => {
  it('holds a code and an implicit link per hosted-UI client, with its id, scopes and first callback URL', () => {
    const { json } = synthesize({
      spec: pets,
      backends: PETSTORE,
      domain: { prefix: 'pets-auth' },
      userPool: { adminOnlySignUp: false },
      clients: CLIENTS,
    });
    const signIn = String(outputOf(json, 'hosted_ui_sign_in_url'));
    const origin = signIn.slice(0, signIn.indexOf('/login?'));
    expect(outputOf(json, 'hosted_ui_sign_up_urls')).toEqual({
      spa: {
        code: `${origin}/signup?client_id=${clientId(json, 'spa')}&response_type=code&scope=openid%20email&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb`,
        implicit: `${origin}/signup?client_id=${clientId(json, 'spa')}&response_type=token&scope=openid%20email&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb`,
      },
      legacy: {
        implicit: `${origin}/signup?client_id=${clientId(json, 'legacy')}&response_type=token&scope=openid&redirect_uri=myapp%3A%2F%2Fsigned-in`,
      },
    });
    // The sign-in URL is the same builder's, for the first such client.
    expect(signIn).toBe(
      `${origin}/login?client_id=${clientId(json, 'spa')}&response_type=code&scope=openid%20email&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb`,
    );
  });

  it('is empty when only administrators create users, since the hosted UI then offers no sign-up', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE, clients: CLIENTS });
    expect(outputOf(json, 'hosted_ui_sign_up_urls')).toEqual({});
  });
});
