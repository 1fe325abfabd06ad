// The document's authorizers with their placeholders bound: the one definition the harness judges tokens by
// and the local gateway decides by, so the two cannot read an authorizer differently.
import { compileJavaRegex } from '../openapi/model/java-regex';
import { bindString } from '../openapi/model/placeholders';
import { ProblemList, SpecError } from '../openapi/model/problems';
import type { ApiModel, Authorizer } from '../openapi/model/types';
import type { PlaceholderResolver } from './binding';

export interface BoundCognitoAuthorizer {
  kind: 'cognito_user_pools';
  name: string;
  /** JSON pointer of the security scheme. */
  pointer: string;
  /** Lower-cased header the token is read from. */
  tokenHeader: string;
  /** providerARNs, bound: the pools whose tokens pass. */
  providerArns: string[];
  /** identityValidationExpression, bound and compiled to match the whole `aud` claim (identityValidationAccepts). */
  identityValidation?: RegExp;
}

export interface BoundJwtAuthorizer {
  kind: 'jwt';
  name: string;
  pointer: string;
  tokenHeader: string;
  issuer: string;
  audience: string[];
}

export type BoundAuthorizer = BoundCognitoAuthorizer | BoundJwtAuthorizer;

/** Matches nothing: what a bound expression that does not compile stands for, so it fails closed. */
const NOTHING = /(?!)/;

/**
 * The bound expression as API Gateway applies it: a Java regex matched against the whole claim
 * (Matcher.matches()), so `abc` refuses the client id `xabcx` and `(?i)`, `\A`, `\z` keep their Java meaning
 * (openapi/model/java-regex.ts, shared by the lint, this gateway and the harness).
 */
export function compileIdentityValidation(expression: string): RegExp | undefined {
  const compiled = compileJavaRegex(expression);
  return compiled.ok ? compiled.regex : undefined;
}

/**
 * Whether a token's `aud` passes the authorizer's identityValidationExpression. Access tokens have no `aud`,
 * so with an expression they never pass; without one, every audience does (REST checks no audience).
 */
export function identityValidationAccepts(authorizer: BoundCognitoAuthorizer, aud: unknown): boolean {
  if (!authorizer.identityValidation) return true;
  return typeof aud === 'string' && authorizer.identityValidation.test(aud);
}

/**
 * Every authorizer of the document, bound. Problems (an expression that no longer compiles once bound) go
 * to `problems` when given, the caller reporting them with its own; otherwise they are thrown as a SpecError.
 */
export function bindAuthorizers(
  model: ApiModel,
  resolve: PlaceholderResolver<string>,
  problems?: ProblemList,
): Record<string, BoundAuthorizer> {
  const found = problems ?? new ProblemList(model.file);
  const bound: Record<string, BoundAuthorizer> = {};
  for (const [name, authorizer] of Object.entries(model.authorizers))
    bound[name] = bindAuthorizer(authorizer, resolve, found);
  if (!problems && found.hasErrors) throw new SpecError(found.items);
  return bound;
}

function bindAuthorizer(
  authorizer: Authorizer,
  resolve: PlaceholderResolver<string>,
  problems: ProblemList,
): BoundAuthorizer {
  const bind = (value: string): string => bindString(value, resolve);
  const { name, pointer, tokenHeader } = authorizer;
  if (authorizer.kind === 'jwt')
    return {
      kind: 'jwt',
      name,
      pointer,
      tokenHeader,
      issuer: bind(authorizer.issuer),
      audience: authorizer.audience.map(bind),
    };
  let identityValidation: RegExp | undefined;
  if (authorizer.identityValidationExpression !== undefined) {
    const expression = bind(authorizer.identityValidationExpression);
    const compiled = compileJavaRegex(expression);
    identityValidation = compiled.ok ? compiled.regex : NOTHING;
    if (!compiled.ok)
      problems.error(
        'authorizer-validation-regex-bound',
        `${pointer}/x-amazon-apigateway-authorizer/identityValidationExpression`,
        `identityValidationExpression bound to "${expression}" is refused: ${compiled.reason}.`,
        `${compiled.fix} Or fix the value its placeholder is bound to.`,
      );
  }
  return {
    kind: 'cognito_user_pools',
    name,
    pointer,
    tokenHeader,
    providerArns: authorizer.providerArns.map(bind),
    identityValidation,
  };
}
