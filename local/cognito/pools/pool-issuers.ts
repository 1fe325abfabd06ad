// Each pool's issuer: `<url>/<poolId>` by default, or a value given for the pool, so a local pool can
// stand in for one a document hard-codes (an HTTP API jwt authorizer naming
// https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123): its tokens and its discovery document then
// carry exactly that `iss`, while its keys are still served by the local Cognito.

/** The issuer AWS gives a pool's tokens: what `gatehouse local --issuer aws` makes local pools carry. */
export function awsIssuerOf(region: string, poolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

export class PoolIssuers {
  private readonly overrides = new Map<string, string>();

  constructor(private readonly baseUrl: () => string) {}

  issuerOf(poolId: string): string {
    return this.overrides.get(poolId) ?? `${this.baseUrl()}/${poolId}`;
  }

  /** Always local, whatever the issuer: that is where the keys are. */
  jwksUrlOf(poolId: string): string {
    return `${this.baseUrl()}/${poolId}/.well-known/jwks.json`;
  }

  /** Always local too: the discovery document names the pool's issuer, whatever it is, and the local JWKS. */
  discoveryUrlOf(poolId: string): string {
    return `${this.baseUrl()}/${poolId}/.well-known/openid-configuration`;
  }

  /** Tokens issued from now on carry `issuer`; throws for a value that is not an absolute http(s) URL. */
  override(poolId: string, issuer: string): void {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new Error(
        `Issuer "${issuer}" for pool ${poolId} is not a URL; give one like https://cognito-idp.<region>.amazonaws.com/<poolId>.`,
      );
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash)
      throw new Error(
        `Issuer "${issuer}" for pool ${poolId} must be an http(s) URL without a query or fragment, like https://cognito-idp.<region>.amazonaws.com/<poolId>.`,
      );
    this.overrides.set(poolId, issuer);
  }
}
