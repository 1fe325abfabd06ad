// CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer and
// DeleteResourceServer, which cognito-local lacks: a resource server's scopes are the custom scopes
// (`<identifier>/<scope name>`) clients may be allowed and client_credentials tokens may carry.
import type { Context, Services } from '../wiring/cognito-local-core';
import { cognitoError, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import type { AddedRoutes } from '../wiring/target-guards';

export interface ResourceServerScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServer {
  UserPoolId: string;
  Identifier: string;
  Name: string;
  Scopes: ResourceServerScope[];
}

// Cognito's constraints (API reference, ResourceServerType / ResourceServerScopeType).
const IDENTIFIER = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const NAME = /^[\w\s+=,.@-]{1,256}$/;
const SCOPE_NAME = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
const MAX_SCOPES = 100;

/**
 * Resource servers of every pool of one local Cognito instance. In memory: the instance's data lives
 * exactly as long as the instance, and no other process reads it.
 */
export class ResourceServerStore {
  private readonly byPool = new Map<string, Map<string, ResourceServer>>();

  list(poolId: string): ResourceServer[] {
    return [...(this.byPool.get(poolId)?.values() ?? [])].sort((a, b) => a.Identifier.localeCompare(b.Identifier));
  }

  get(poolId: string, identifier: string): ResourceServer | undefined {
    return this.byPool.get(poolId)?.get(identifier);
  }

  put(server: ResourceServer): void {
    const pool = this.byPool.get(server.UserPoolId) ?? new Map<string, ResourceServer>();
    pool.set(server.Identifier, server);
    this.byPool.set(server.UserPoolId, pool);
  }

  delete(poolId: string, identifier: string): boolean {
    return this.byPool.get(poolId)?.delete(identifier) ?? false;
  }

  /** Every custom scope of the pool, as `<identifier>/<scope name>`. */
  customScopes(poolId: string): Set<string> {
    return new Set(
      this.list(poolId).flatMap((server) => server.Scopes.map((scope) => `${server.Identifier}/${scope.ScopeName}`)),
    );
  }
}

function parseScopes(req: JsonObject): ResourceServerScope[] {
  const raw = req.Scopes ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_SCOPES)
    throw cognitoError('InvalidParameterException', `Scopes must be a list of at most ${MAX_SCOPES} scopes.`);
  const scopes = raw.map((entry: unknown) => {
    const scope = typeof entry === 'object' && entry !== null ? (entry as JsonObject) : {};
    const name = stringField(scope, 'ScopeName');
    const description = stringField(scope, 'ScopeDescription');
    if (!name || !SCOPE_NAME.test(name))
      throw cognitoError(
        'InvalidParameterException',
        `Invalid ScopeName "${name ?? ''}": use 1-256 printable characters other than a slash, a backslash or a double quote.`,
      );
    if (!description || description.length > 256)
      throw cognitoError('InvalidParameterException', `Scope ${name} needs a ScopeDescription of 1-256 characters.`);
    return { ScopeName: name, ScopeDescription: description };
  });
  const names = scopes.map((s) => s.ScopeName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw cognitoError('InvalidParameterException', `Scope ${duplicate} is listed twice.`);
  return scopes;
}

async function parseServer(ctx: Context, services: Services, req: JsonObject): Promise<ResourceServer> {
  const poolId = requireString(req, 'UserPoolId');
  const identifier = requireString(req, 'Identifier');
  const name = requireString(req, 'Name');
  await services.cognito.getUserPool(ctx, poolId);
  if (!IDENTIFIER.test(identifier))
    throw cognitoError(
      'InvalidParameterException',
      `Invalid Identifier "${identifier}": use 1-256 printable characters other than a backslash or a double quote.`,
    );
  if (!NAME.test(name))
    throw cognitoError(
      'InvalidParameterException',
      `Invalid Name "${name}": use 1-256 letters, digits, spaces and + = , . @ - _.`,
    );
  return { UserPoolId: poolId, Identifier: identifier, Name: name, Scopes: parseScopes(req) };
}

async function existing(
  ctx: Context,
  services: Services,
  store: ResourceServerStore,
  req: JsonObject,
): Promise<ResourceServer> {
  const poolId = requireString(req, 'UserPoolId');
  const identifier = requireString(req, 'Identifier');
  await services.cognito.getUserPool(ctx, poolId);
  const server = store.get(poolId, identifier);
  if (!server)
    throw cognitoError(
      'ResourceNotFoundException',
      `Resource server ${identifier} does not exist in user pool ${poolId}.`,
    );
  return server;
}

export function resourceServerRoutes(store: ResourceServerStore): AddedRoutes {
  return {
    CreateResourceServer: (services) => async (ctx, req) => {
      const server = await parseServer(ctx, services, req);
      if (store.get(server.UserPoolId, server.Identifier))
        throw cognitoError(
          'InvalidParameterException',
          `A resource server with identifier ${server.Identifier} already exists in user pool ${server.UserPoolId}.`,
        );
      store.put(server);
      return { ResourceServer: server };
    },
    DescribeResourceServer: (services) => async (ctx, req) => ({
      ResourceServer: await existing(ctx, services, store, req),
    }),
    UpdateResourceServer: (services) => async (ctx, req) => {
      await existing(ctx, services, store, req);
      const server = await parseServer(ctx, services, req);
      store.put(server);
      return { ResourceServer: server };
    },
    DeleteResourceServer: (services) => async (ctx, req) => {
      const server = await existing(ctx, services, store, req);
      store.delete(server.UserPoolId, server.Identifier);
      return {};
    },
    ListResourceServers: (services) => async (ctx, req) => {
      const poolId = requireString(req, 'UserPoolId');
      const maxResults = req.MaxResults;
      if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50)
        throw cognitoError(
          'InvalidParameterException',
          `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50`,
        );
      await services.cognito.getUserPool(ctx, poolId);
      const all = store.list(poolId);
      // The next token is the identifier to resume after: opaque to callers, stable under deletes.
      const after = stringField(req, 'NextToken');
      const start = after === undefined ? 0 : all.findIndex((s) => s.Identifier.localeCompare(after) > 0);
      const page = start < 0 ? [] : all.slice(start, start + maxResults);
      const more = start >= 0 && start + maxResults < all.length;
      return { ResourceServers: page, ...(more ? { NextToken: page[page.length - 1].Identifier } : {}) };
    },
  };
}
