// The props `main.ts` deploys with and `gatehouse local` runs with, so both stand up the same stack.
import type { SecuredApiProps } from './props';

/** Where `{{backend:petstore}}` points on AWS: API Gateway's public pet store demo. */
export const PETSTORE_BACKEND = 'http://petstore-demo-endpoint.execute-api.com/petstore';

/** Where the hosted UI sends the spa client's users back to (http is allowed for localhost only). */
export const SPA_CALLBACK = 'http://localhost:3000/callback';
export const SPA_SIGNED_OUT = 'http://localhost:3000/signed-out';

export function appProps(spec: string, env: NodeJS.ProcessEnv = process.env): SecuredApiProps {
  return {
    spec,
    stageName: env.STAGE || undefined,
    // web signs people in; partner is a second user client (with a secret) that the documents deliberately
    // leave out of pets' identityValidationExpression and hello's audience; spa signs people in through the
    // hosted UI (code + PKCE, implicit), the only way a user gets custom scopes; machine uses client_credentials.
    clients: {
      web: {},
      partner: { generateSecret: true },
      spa: { oauthFlows: ['code', 'implicit'], callbackUrls: [SPA_CALLBACK], logoutUrls: [SPA_SIGNED_OUT] },
      machine: { generateSecret: true, oauthFlows: ['client_credentials'] },
    },
    functions: { hello: { sourceDir: 'lambda/hello', handler: 'index.handler' } },
    backends: { petstore: env.PETSTORE_BACKEND_URL || PETSTORE_BACKEND },
  };
}

/** The stack's name, from the document's title (`Pets` -> `gatehouse-pets`); the local stack derives it the same way. */
export function stackNameOf(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `gatehouse-${slug || 'api'}`;
}
