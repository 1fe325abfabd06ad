// The pools a document names itself instead of through {{userPoolArn}} / {{issuer}} (most real documents
// do), each to be stood in for by a local pool whose tokens are what that authorizer accepts: a REST
// providerARN, or an HTTP API jwt issuer https://cognito-idp.<region>.amazonaws.com/<poolId> with the client
// ids its audience lists. Pure: which pools, with which issuer and clients; local/stack.ts provisions them.
// A jwt issuer that is not Cognito's names no pool: the gateway finds its keys by OIDC discovery, as API
// Gateway does (an identity provider the developer runs). Placeholders are bound as the module binds them,
// so {{clientId:web}} in a hard-coded issuer's audience is the stack's own web client (lint warns: its
// tokens carry the stack pool's issuer and are refused).
import type { ApiModel, JwtAuthorizer } from '../openapi/model/types';
import type { ResolvedClient, ResolvedProps } from '../stack/resolve';
import { LOCAL_ACCOUNT_ID } from './cognito/pools/pool-ids';

export interface StandInPool {
  /**
   * The pool's ARN: as a REST document writes it; for a jwt issuer, the ARN of the pool the issuer names in
   * the local account (an issuer does not say the account). Key of the gateway's pools and of extra_pools.
   */
  arn: string;
  /**
   * The `iss` its tokens carry: the one real tokens of that pool carry. Undefined only for an ARN that is not
   * a user pool ARN (which loadApiModel refuses): the pool then keeps its local issuer.
   */
  issuer?: string;
  /** The stack's props with the pool renamed and, for a jwt audience, the clients it lists. */
  resolved: ResolvedProps;
  /** Client name -> the id the document hard-codes for it. */
  clientIds: Record<string, string>;
}

const USER_POOL_ARN = /^arn:(aws[a-z-]*):cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/([a-z0-9-]+_[0-9A-Za-z]+)$/;
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9-]+_[0-9A-Za-z]+)$/;

const hasPlaceholder = (value: string): boolean => value.includes('{{');

/** China's partition serves Cognito from amazonaws.com.cn; every other from amazonaws.com. */
function issuerOfArn(arn: string): string | undefined {
  const match = USER_POOL_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, , poolId] = match;
  return `https://cognito-idp.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}/${poolId}`;
}

function arnOfIssuer(issuer: string): string | undefined {
  const match = COGNITO_ISSUER.exec(issuer);
  if (!match) return undefined;
  const [, region, china, poolId] = match;
  return `arn:${china ? 'aws-cn' : 'aws'}:cognito-idp:${region}:${LOCAL_ACCOUNT_ID}:userpool/${poolId}`;
}

function renamedPool(resolved: ResolvedProps, arn: string): ResolvedProps {
  return {
    ...resolved,
    pool: { ...resolved.pool, name: `${resolved.pool.name}-${arn.slice(arn.lastIndexOf('/') + 1)}` },
  };
}

export function standInPools(model: ApiModel, resolved: ResolvedProps): StandInPool[] {
  const pools = new Map<string, StandInPool>();
  for (const authorizer of Object.values(model.authorizers)) {
    if (authorizer.kind !== 'cognito_user_pools') continue;
    for (const arn of authorizer.providerArns) {
      if (hasPlaceholder(arn) || pools.has(arn)) continue;
      pools.set(arn, { arn, issuer: issuerOfArn(arn), resolved: renamedPool(resolved, arn), clientIds: {} });
    }
  }

  const jwtByIssuer = new Map<string, JwtAuthorizer[]>();
  for (const authorizer of Object.values(model.authorizers))
    if (authorizer.kind === 'jwt' && !hasPlaceholder(authorizer.issuer) && arnOfIssuer(authorizer.issuer))
      jwtByIssuer.set(authorizer.issuer, [...(jwtByIssuer.get(authorizer.issuer) ?? []), authorizer]);
  for (const [issuer, authorizers] of jwtByIssuer) {
    const arn = arnOfIssuer(issuer)!;
    const audience = [...new Set(authorizers.flatMap((a) => a.audience).filter((id) => !hasPlaceholder(id)))];
    const names = new Set(authorizers.map((a) => a.name));
    const scoped = model.operations.some(
      (op) => op.auth.kind === 'authorizer' && names.has(op.auth.authorizer) && op.auth.scopes.length > 0,
    );
    const { clients, clientIds } = audienceClients(resolved.clients, audience, scoped);
    pools.set(arn, { arn, issuer, resolved: { ...renamedPool(resolved, arn), clients }, clientIds });
  }
  return [...pools.values()];
}

const isUserClient = (c: ResolvedClient): boolean => c.explicitAuthFlows.includes('USER_PASSWORD_AUTH');
const isMachineClient = (c: ResolvedClient): boolean => c.oauthFlows.includes('client_credentials');

/**
 * Which client each hard-coded audience id is. The document says only the ids, so the ids take, in the
 * order it lists them, the settings (and names) of: the first client that signs users in with a password
 * (so a user's ID token passes), then the first client_credentials client when a route of the authorizer
 * needs scopes (so a machine's access token passes), then the props' other user clients, then the rest,
 * each in the props' order. Clients
 * left over keep generated ids: real tokens this audience refuses. Ids beyond the props' clients get the
 * first user client's settings under `<name>-<n>`.
 */
export function audienceClients(
  propsClients: Record<string, ResolvedClient>,
  audience: readonly string[],
  scoped: boolean,
): { clients: Record<string, ResolvedClient>; clientIds: Record<string, string> } {
  const all = Object.values(propsClients);
  const firstUser = all.find(isUserClient);
  const firstMachine = scoped ? all.find(isMachineClient) : undefined;
  const users = all.filter(isUserClient);
  const others = all.filter((c) => !isUserClient(c));
  const order = [
    ...new Set([firstUser, firstMachine, ...users, ...others].filter((c): c is ResolvedClient => c !== undefined)),
  ];
  const clients: Record<string, ResolvedClient> = { ...propsClients };
  const clientIds: Record<string, string> = {};
  audience.forEach((id, i) => {
    if (i < order.length) {
      clientIds[order[i].name] = id;
      return;
    }
    const base = firstUser ?? order[0];
    if (!base) return;
    const name = `${base.name}-${i - order.length + 2}`;
    clients[name] = { ...base, name };
    clientIds[name] = id;
  });
  return { clients, clientIds };
}
