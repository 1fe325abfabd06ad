// Per-pool discovery documents whose issuer matches the tokens: cognito-local serves its shipped static
// key and names http://localhost:9229 whatever its address. Issuer = `<url>/<poolId>` unless the pool was
// given one (pool-issuers.ts); JWKS at `<url>/<poolId>/.well-known/jwks.json`, holding the ID-token and
// access-token keys.
import { silentContext, type Services } from '../wiring/cognito-local-core';
import type { PoolIssuers } from '../pools/pool-issuers';
import type { SigningKeys } from '../tokens/signing-keys';

export interface DiscoveryReply {
  status: 200 | 404;
  body: object;
}

function openIdConfiguration(baseUrl: string, issuers: PoolIssuers, poolId: string): object {
  return {
    authorization_endpoint: `${baseUrl}/oauth2/authorize`,
    end_session_endpoint: `${baseUrl}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: issuers.issuerOf(poolId),
    jwks_uri: issuers.jwksUrlOf(poolId),
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${baseUrl}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${baseUrl}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${baseUrl}/oauth2/userInfo`,
  };
}

/** The document at /<poolId>/.well-known/<name>, or 404 for a pool that does not exist. */
export async function discoveryDocument(
  services: Services,
  keys: Promise<SigningKeys>,
  baseUrl: string,
  issuers: PoolIssuers,
  poolId: string,
  name: string,
): Promise<DiscoveryReply | undefined> {
  if (name !== 'jwks.json' && name !== 'openid-configuration') return undefined;
  const exists = await services.cognito.getUserPool(silentContext, poolId).then(
    () => true,
    () => false,
  );
  if (!exists) return { status: 404, body: { message: `User pool ${poolId} does not exist.` } };
  return {
    status: 200,
    body: name === 'jwks.json' ? (await keys).jwks : openIdConfiguration(baseUrl, issuers, poolId),
  };
}
