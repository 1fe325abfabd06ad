// Pool ids and ARNs shaped like Cognito's (`<region>_<9 characters>`, an ARN in the instance's region)
// instead of cognito-local's `local_...` in region "local", so outputs, issuers and providerARNs look as
// they do on AWS and carry the region the local stack runs in.
import { randomInt } from 'node:crypto';
import type { CognitoService } from '../wiring/cognito-local-core';

/** The account id local ARNs carry (the local stack's Lambda ARNs use the same). */
export const LOCAL_ACCOUNT_ID = '000000000000';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newPoolId(region: string): string {
  let suffix = '';
  for (let i = 0; i < 9; i++) suffix += ID_CHARS[randomInt(ID_CHARS.length)];
  return `${region}_${suffix}`;
}

export function poolArn(region: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT_ID}:userpool/${poolId}`;
}

/**
 * Also makes every method reject rather than throw: cognito-local's getUserPool throws synchronously for
 * an unknown pool, which `.catch` on its result would miss.
 */
export function withRegionalPoolIds(region: string): (cognito: CognitoService) => CognitoService {
  return (cognito) => ({
    createUserPool: async (ctx, pool) => {
      const id = newPoolId(region);
      return cognito.createUserPool(ctx, { ...pool, Id: id, Arn: poolArn(region, id) });
    },
    deleteUserPool: async (ctx, pool) => cognito.deleteUserPool(ctx, pool),
    getAppClient: async (ctx, clientId) => cognito.getAppClient(ctx, clientId),
    getUserPool: async (ctx, poolId) => cognito.getUserPool(ctx, poolId),
    getUserPoolForClientId: async (ctx, clientId) => cognito.getUserPoolForClientId(ctx, clientId),
    listAppClients: async (ctx, poolId) => cognito.listAppClients(ctx, poolId),
    listUserPools: async (ctx) => cognito.listUserPools(ctx),
  });
}
