// Turns a planned credential into the header value to send, fetching or forging tokens as needed.
import type { Attacker } from './forge';
import { MALFORMED_TOKEN } from './forge';
import type { Credential, Prefix, TokenSource } from './plan';
import type { TokenProvider } from './tokens';

export interface TokenTools {
  tokens: TokenProvider;
  attacker: Attacker;
  /** An expired token of the source from the token store (token-store.ts), if it holds one. */
  expiredToken?: (source: TokenSource) => string | undefined;
}

async function tokenOf(source: TokenSource, tools: TokenTools): Promise<string> {
  if (source.kind === 'machine') return tools.tokens.machineToken(source.pool, source.client, source.scopes);
  if (source.kind === 'user-code') return tools.tokens.userCodeFlowToken(source.pool, source.client, source.scopes);
  const pair = await tools.tokens.userTokens(source.pool, source.client);
  return source.token === 'id' ? pair.idToken : pair.accessToken;
}

function withPrefix(token: string, prefix: Prefix): string {
  switch (prefix) {
    case 'raw':
      return token;
    case 'bearer':
      return `Bearer ${token}`;
    case 'wrong':
      return `Token ${token}`;
  }
}

/** The header value for `credential`, or undefined for "send no token" (a Lambda identity: harness.ts sends it). */
export async function credentialValue(credential: Credential, tools: TokenTools): Promise<string | undefined> {
  switch (credential.kind) {
    case 'none':
    case 'lambda-identity':
      return undefined;
    case 'malformed':
      return withPrefix(MALFORMED_TOKEN, credential.prefix);
    case 'token':
      return withPrefix(await tokenOf(credential.source, tools), credential.prefix);
    case 'forged': {
      const base = await tokenOf(credential.base, tools);
      const forged = await tools.attacker.forge(
        credential.forgery,
        base,
        await tools.tokens.jwks(credential.base.pool),
      );
      return withPrefix(forged, credential.prefix);
    }
    case 'expired': {
      const token = tools.expiredToken?.(credential.source);
      if (token === undefined) throw new Error('the token store holds no expired token of this source');
      return withPrefix(token, credential.prefix);
    }
  }
}
