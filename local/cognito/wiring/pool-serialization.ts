// One JSON API operation at a time per user pool. cognito-local reads a whole user record, awaits other work
// and saves the record back (InitiateAuth stores the refresh token that way), so two operations on one pool
// interleaving lose a write: a sign-in racing AdminDeleteUser wrote the deleted user back. Cognito applies
// each operation atomically; running a pool's operations one after another gives the same outcomes. Every
// operation that names a pool is serialized, not only today's writers, so a gap-filler added later cannot
// reopen the race. Different pools still run concurrently.
import { decodeJwt } from 'jose';
import { silentContext, type Route, type Services } from './cognito-local-core';
import { stringField, type JsonObject } from '../protocol/request-fields';
import type { OperationRouter } from './target-guards';

/**
 * Tasks run one after another per key, in the order they were queued; a failed task does not stop the
 * ones behind it. Hand-written: a promise chain per key is a few lines, and a mutex package would add a
 * dependency for exactly this.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // The last task of a key removes its entry, so idle pools hold no memory.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running tasks (for tests). */
  get busyKeys(): number {
    return this.tails.size;
  }
}

/**
 * The pool a request acts on: its UserPoolId, else its ClientId's pool, else the pool of the app client its
 * AccessToken was issued to (`client_id`; the issuer may be overridden, the client id is always local).
 * Undefined when none is named or the client is unknown: the operation then fails on its own.
 */
export async function poolOfRequest(services: Services, req: JsonObject): Promise<string | undefined> {
  const poolId = stringField(req, 'UserPoolId');
  if (poolId) return poolId;
  let clientId = stringField(req, 'ClientId');
  if (!clientId) {
    const accessToken = stringField(req, 'AccessToken');
    if (!accessToken) return undefined;
    try {
      const claim = decodeJwt(accessToken).client_id;
      clientId = typeof claim === 'string' ? claim : undefined;
    } catch {
      return undefined;
    }
  }
  if (!clientId) return undefined;
  const client = await services.cognito.getAppClient(silentContext, clientId).catch(() => null);
  return client?.UserPoolId;
}

/** `router` with every operation that names a pool queued behind that pool's other operations. */
export function serializedPerPool(
  router: OperationRouter,
  services: Services,
  queue = new KeyedQueue(),
): OperationRouter {
  const wrapped = new Map<string, Route>();
  return {
    supports: (operation) => router.supports(operation),
    route(operation) {
      let route = wrapped.get(operation);
      if (!route) {
        const inner = router.route(operation);
        route = async (ctx, req) => {
          const poolId = await poolOfRequest(services, req);
          return poolId === undefined ? inner(ctx, req) : queue.run(poolId, () => inner(ctx, req));
        };
        wrapped.set(operation, route);
      }
      return route;
    },
  };
}
