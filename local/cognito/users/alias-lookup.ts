// A user found by any name Cognito accepts for them: cognito-local resolves the username, the sub and, in a
// pool that signs in by e-mail or phone (UsernameAttributes), those; a pool with AliasAttributes also lets
// a user be named by a verified e-mail or phone number, or their preferred_username (developer guide, "User
// pool attributes", sign-in with aliases), for sign-in and for every Admin* operation's Username.
import type { CognitoService, Context, User, UserPoolService } from '../wiring/cognito-local-core';
import { attributeOf } from '../sign-in/mfa-state';

/** An e-mail or phone number is an alias once verified; a preferred_username once the user is confirmed. */
function aliasMatches(user: User, aliases: readonly string[], name: string): boolean {
  return aliases.some((alias) => {
    if (attributeOf(user, alias) !== name) return false;
    if (alias === 'email') return attributeOf(user, 'email_verified') === 'true';
    if (alias === 'phone_number') return attributeOf(user, 'phone_number_verified') === 'true';
    return alias === 'preferred_username' && user.UserStatus !== 'UNCONFIRMED';
  });
}

async function lookUp(pool: UserPoolService, ctx: Context, name: string): Promise<User | null> {
  const found = await pool.getUserByUsername(ctx, name);
  const aliases = pool.options.AliasAttributes ?? [];
  if (found || aliases.length === 0) return found;
  return (await pool.listUsers(ctx)).find((user) => aliasMatches(user, aliases, name)) ?? null;
}

/**
 * Every pool the service hands out resolves aliases in getUserByUsername. A Proxy, so reads and writes of
 * the record (options, saveUser, updateOptions) still reach cognito-local's one pool object; one proxy per
 * pool, so the same pool stays the same object.
 */
export function withAliasLookup(cognito: CognitoService): CognitoService {
  const proxies = new WeakMap<UserPoolService, UserPoolService>();
  const wrap = (pool: UserPoolService): UserPoolService => {
    let proxy = proxies.get(pool);
    if (!proxy) {
      proxy = new Proxy(pool, {
        get: (target, property, receiver) =>
          property === 'getUserByUsername'
            ? (ctx: Context, name: string) => lookUp(target, ctx, name)
            : (Reflect.get(target, property, receiver) as unknown),
      });
      proxies.set(pool, proxy);
    }
    return proxy;
  };
  return {
    createUserPool: (ctx, pool) => cognito.createUserPool(ctx, pool),
    deleteUserPool: (ctx, pool) => cognito.deleteUserPool(ctx, pool),
    getAppClient: (ctx, clientId) => cognito.getAppClient(ctx, clientId),
    getUserPool: async (ctx, poolId) => wrap(await cognito.getUserPool(ctx, poolId)),
    getUserPoolForClientId: async (ctx, clientId) => wrap(await cognito.getUserPoolForClientId(ctx, clientId)),
    listAppClients: (ctx, poolId) => cognito.listAppClients(ctx, poolId),
    listUserPools: (ctx) => cognito.listUserPools(ctx),
  };
}
