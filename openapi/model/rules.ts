// Product rules on the built model: how operations and authorizers combine decides which tokens can ever
// pass (see docs/aws-authorizer-semantics.md, "What follows for lint"). Run by lintSpec.
import type { ApiModel, CognitoAuthorizer, JwtAuthorizer, Operation } from './types';
import { parsePlaceholder } from './placeholders';
import { ProblemList, type SpecProblem } from './problems';

type SecuredOperation = Operation & { auth: { kind: 'authorizer' } };

export function lintRules(model: ApiModel): SpecProblem[] {
  const problems = new ProblemList(model.file);
  const secured = model.operations.filter((o): o is SecuredOperation => o.auth.kind === 'authorizer');
  for (const op of secured) {
    const authorizer = model.authorizers[op.auth.authorizer];
    if (model.kind === 'rest' && authorizer?.kind === 'cognito_user_pools') checkRestScopes(op, authorizer, problems);
  }
  if (model.kind === 'rest') checkMachineReach(secured, problems);
  for (const authorizer of Object.values(model.authorizers)) {
    if (authorizer.kind === 'jwt') checkJwtAudience(authorizer, problems);
  }
  if (model.apiKeySource === 'AUTHORIZER') checkKeysFromAuthorizer(model.operations, problems);
  return problems.items;
}

/**
 * With x-amazon-apigateway-api-key-source AUTHORIZER, the key is "the UsageIdentifierKey from a Lambda
 * authorizer"; an operation that needs a key and has no Lambda authorizer never gets one (403 every time).
 */
function checkKeysFromAuthorizer(operations: Operation[], problems: ProblemList): void {
  for (const op of operations) {
    const needsKey = op.auth.kind === 'api_key' || ('apiKeyRequired' in op.auth && op.auth.apiKeyRequired === true);
    if (!needsKey || op.auth.kind === 'lambda') continue;
    problems.warning(
      'api-key-source-authorizer',
      ('pointer' in op.auth ? op.auth.pointer : undefined) ?? op.pointer,
      `${op.id} requires an API key, and the API takes keys from a Lambda authorizer (x-amazon-apigateway-api-key-source: AUTHORIZER), but this operation has none: no key ever comes, and every request is refused with 403.`,
      'Secure the operation with the Lambda authorizer that returns usageIdentifierKey, or set x-amazon-apigateway-api-key-source: HEADER.',
    );
  }
}

/** Scopes on a REST method demand access tokens; an identityValidationExpression refuses every access token. */
function checkRestScopes(op: SecuredOperation, authorizer: CognitoAuthorizer, problems: ProblemList): void {
  const { scopes } = op.auth;
  if (scopes.length === 0) return;
  const at = op.auth.pointer ?? op.pointer;
  if (authorizer.identityValidationExpression !== undefined) {
    const regexAt = `${authorizer.pointer}/x-amazon-apigateway-authorizer/identityValidationExpression`;
    problems.error(
      'rest-scopes-with-validation-expression',
      at,
      `${op.id} can never be called: its scopes (${scopes.join(', ')}) make API Gateway accept only access tokens, and authorizer "${authorizer.name}" has an identityValidationExpression (at ${regexAt}), matched against the "aud" claim that access tokens do not have.`,
      `Drop the scopes from this method (ID tokens then pass the expression), or use an authorizer without identityValidationExpression for scoped methods.`,
    );
    return;
  }
  problems.warning(
    'rest-scopes-need-access-token',
    at,
    `With scopes, this REST method accepts only access tokens holding one of ${scopes.join(', ')}; ID tokens get 401.`,
    'Nothing, if clients send access tokens from an OAuth flow (client_credentials, code or implicit). Drop the scopes to accept ID tokens instead.',
  );
}

/**
 * A REST method without scopes treats the token as an ID token, and machine clients (client_credentials)
 * only ever get access tokens. Without the props the lint cannot tell which clients are machines, but when no
 * secured method has scopes it knows that no machine client can call any of them.
 */
function checkMachineReach(secured: SecuredOperation[], problems: ProblemList): void {
  if (secured.length === 0 || secured.some((o) => o.auth.scopes.length > 0)) return;
  problems.warning(
    'rest-no-access-token-method',
    '/paths',
    `No secured method of this REST API has scopes (${secured.length} secured), so each accepts ID tokens only: a machine client (client_credentials), which gets access tokens only, can call none of them.`,
    'If machines must call this API, give the methods they call a custom scope, e.g. security: [{<scheme>: [<resource server>/<scope>]}]. Otherwise nothing to do.',
  );
}

/**
 * Tokens from the pool the module creates carry its issuer and one of its client ids; an audience naming
 * none of those clients (or an issuer that is another pool) means the authorizer refuses every such token.
 */
function checkJwtAudience(authorizer: JwtAuthorizer, problems: ProblemList): void {
  const configAt = `${authorizer.pointer}/x-amazon-apigateway-authorizer/jwtConfiguration`;
  const issuerIsModulePool = placeholderKind(authorizer.issuer) === 'issuer';
  const moduleClients = authorizer.audience.filter((a) => placeholderKind(a) === 'clientId');
  if (issuerIsModulePool && moduleClients.length === 0)
    problems.error(
      'jwt-audience-no-client',
      `${configAt}/audience`,
      `jwt authorizer "${authorizer.name}" trusts the module's pool (issuer {{issuer}} at ${configAt}/issuer) but its audience (${authorizer.audience.join(', ')}) names none of that pool's app clients, whose ids exist only once the module creates them: every token is refused with 401.`,
      'List the clients whose tokens the API accepts as placeholders, e.g. audience: ["{{clientId:web}}", "{{clientId:machine}}"].',
    );
  if (!issuerIsModulePool && moduleClients.length > 0)
    problems.warning(
      'jwt-issuer-not-module-pool',
      `${configAt}/issuer`,
      `jwt authorizer "${authorizer.name}" lists clients of the module's pool in its audience (${moduleClients.join(', ')} at ${configAt}/audience), but its issuer "${authorizer.issuer}" is not that pool: their tokens carry the module pool's issuer and are refused with 401.`,
      'Write issuer: "{{issuer}}" to trust the pool the module creates, or list that other pool\'s client ids in the audience.',
    );
}

function placeholderKind(value: string): string | undefined {
  const whole = /^\{\{\s*(.*?)\s*\}\}$/.exec(value);
  return whole ? parsePlaceholder(whole[1])?.kind : undefined;
}
