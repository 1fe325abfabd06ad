// A scoped route no client of the props can call: its authorizer accepts no client that may obtain one of the
// scopes. Needs the props' clients, so it is checked where the props meet the model (not a document rule);
// a warning, as the route may be meant for clients of another stack.
import { STANDARD_SCOPES } from '../openapi/model/build-model';
import { ProblemList, type Problem } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { placeholderResolver } from './binding';
import { bindAuthorizers, type BoundAuthorizer } from './bound-authorizers';
import type { ResolvedClient, ResolvedProps } from './resolve';

/** Stand-ins for what the stack creates, so a bound authorizer says which of the props' clients it names. */
const OWN_POOL = '{{userPoolArn}}';
const OWN_ISSUER = '{{issuer}}';
const clientMarker = (name: string) => `{{clientId:${name}}}`;

/** Whether a token of `client` can hold `scope`, and how it gets it. */
function howObtained(client: ResolvedClient, scope: string): string | undefined {
  if (!STANDARD_SCOPES.includes(scope) && client.oauthFlows.includes('client_credentials'))
    return client.oauthScopes.includes(scope) ? 'client_credentials' : undefined;
  const userOAuth = client.oauthFlows.includes('code') || client.oauthFlows.includes('implicit');
  if (userOAuth && client.callbackUrls.length > 0 && client.oauthScopes.includes(scope)) return 'the hosted UI';
  // InitiateAuth access tokens carry exactly this scope (docs/aws-authorizer-semantics.md).
  if (scope === 'aws.cognito.signin.user.admin' && client.explicitAuthFlows.some((f) => f !== 'REFRESH_TOKEN_AUTH'))
    return 'sign-in';
  return undefined;
}

/**
 * Whether the authorizer takes this client's access tokens; undefined when it trusts another pool, whose
 * clients the props cannot say anything about.
 */
function acceptsAccessToken(authorizer: BoundAuthorizer, client: ResolvedClient): boolean | undefined {
  if (authorizer.kind === 'jwt')
    return authorizer.issuer === OWN_ISSUER ? authorizer.audience.includes(clientMarker(client.name)) : undefined;
  if (!authorizer.providerArns.includes(OWN_POOL)) return undefined;
  // With an expression no access token passes (they carry no aud): the document lint already refuses that.
  return authorizer.identityValidation ? undefined : true;
}

/** A warning (rule scope-unobtainable) for each scoped operation no client of the props can call. */
export function unobtainableScopeProblems(model: ApiModel, resolved: ResolvedProps): Problem[] {
  const names = Object.keys(resolved.clients);
  const problems = new ProblemList(model.file);
  const authorizers = bindAuthorizers(
    model,
    placeholderResolver(
      {
        userPoolArn: OWN_POOL,
        issuer: OWN_ISSUER,
        region: '{{region}}',
        clientIds: Object.fromEntries(names.map((name) => [name, clientMarker(name)])),
        lambdaInvokeArns: {},
        backends: {},
      },
      () => '',
    ),
    new ProblemList(model.file),
  );
  for (const op of model.operations) {
    if (op.auth.kind !== 'authorizer' || op.auth.scopes.length === 0) continue;
    const authorizer = authorizers[op.auth.authorizer];
    if (!authorizer) continue;
    const { scopes } = op.auth;
    const clients = Object.values(resolved.clients);
    const accepted = clients.map((c) => acceptsAccessToken(authorizer, c));
    if (accepted.includes(undefined)) continue;
    const obtaining = clients.filter((c) => scopes.some((s) => howObtained(c, s)));
    if (obtaining.some((c) => accepted[clients.indexOf(c)])) continue;
    const wanted = scopes.join(' or ');
    const why =
      obtaining.length === 0
        ? `no client in the props may obtain ${wanted}`
        : `${obtaining.map((c) => `"${c.name}"`).join(', ')} may obtain it, but the jwt audience of ${authorizer.name} does not name ${obtaining.length === 1 ? 'it' : 'them'}`;
    problems.warning(
      'scope-unobtainable',
      op.auth.pointer ?? op.pointer,
      `${op.method} ${op.path} needs ${wanted}, and no client its authorizer ${authorizer.name} accepts can obtain it: ${why}, so no token can call it.`,
      obtaining.length === 0
        ? `Give a client the scope: clients.<name>.oauthScopes with oauthFlows ['client_credentials'] (custom scopes) or ['code'] and callbackUrls (people).`
        : `Add ${obtaining.map((c) => `"{{clientId:${c.name}}}"`).join(', ')} to the audience of ${authorizer.name} (${authorizer.pointer}).`,
    );
  }
  return problems.items;
}
