// Local only: an app client takes the id a document hard-codes (an HTTP API jwt audience listing a real
// pool's client ids), so a local pool standing in for that pool issues tokens that audience accepts.
// Cognito has no such API: CreateUserPoolClient has no ClientId member, the service always picks the id.
// Safe here because the instance is throwaway and local, the client is renamed right after it is created
// (before any token, code or refresh token names its old id), and an id some client already has is refused,
// so one id never names two clients.
import { silentContext, type Services } from '../wiring/cognito-local-core';

/** Cognito's ClientIdType: 1 to 128 word characters or `+`. */
const CLIENT_ID = /^[\w+]{1,128}$/;

export class ClientIdAssigner {
  /** Ids being assigned right now: two concurrent assignments of one id must not both pass the check. */
  private readonly pending = new Set<string>();

  constructor(private readonly services: Services) {}

  /** Gives the client `currentId` of pool `poolId` the id `wantedId`; its settings and secret stay. */
  async assign(poolId: string, currentId: string, wantedId: string): Promise<void> {
    if (!CLIENT_ID.test(wantedId))
      throw new Error(
        `Client id "${wantedId}" is not one Cognito could issue; a client id is 1 to 128 letters, digits, _ or +.`,
      );
    if (currentId === wantedId) return;
    if (this.pending.has(wantedId))
      throw new Error(`Client id "${wantedId}" is already being given to another client of the local Cognito.`);
    this.pending.add(wantedId);
    try {
      const { cognito } = this.services;
      const client = await cognito.getAppClient(silentContext, currentId);
      if (!client || client.UserPoolId !== poolId)
        throw new Error(`Pool ${poolId} of the local Cognito has no client ${currentId}.`);
      const taken = await cognito.getAppClient(silentContext, wantedId);
      if (taken)
        throw new Error(
          `Client id "${wantedId}" already names a client of pool ${taken.UserPoolId} in the local Cognito; a client id names one client.`,
        );
      const pool = await cognito.getUserPool(silentContext, poolId);
      await pool.saveAppClient(silentContext, { ...client, ClientId: wantedId });
      await pool.deleteAppClient(silentContext, client);
    } finally {
      this.pending.delete(wantedId);
    }
  }
}
