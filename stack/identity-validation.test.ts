// The bound identityValidationExpression is compiled by the model's Java translation (openapi/model/java-regex.ts),
// so the local gateway and the contract harness (both through identityValidationAccepts) judge an aud claim as
// API Gateway's Java Matcher.matches() does. Evidence for the Java semantics: openapi/model/java-regex.test.ts.
import { compileIdentityValidation, identityValidationAccepts, type BoundCognitoAuthorizer } from './bound-authorizers';

const WEB = '4k3ohn2j8hd4lmd9fr7ab1c2q3';

test('the gateway and the harness share the translation: identityValidationAccepts judges (?i) and \\A…\\z as Java does', () => {
  const authorizer = (expression: string): BoundCognitoAuthorizer => ({
    kind: 'cognito_user_pools',
    name: 'CognitoAuth',
    pointer: '/components/securitySchemes/CognitoAuth',
    tokenHeader: 'authorization',
    providerArns: [],
    identityValidation: compileIdentityValidation(expression),
  });
  // Before: (?i) did not compile (so every token was refused) and \z was read as the letter z.
  expect(identityValidationAccepts(authorizer(`(?i)^${WEB.toUpperCase()}$`), WEB)).toBe(true);
  expect(identityValidationAccepts(authorizer(`\\A${WEB}\\z`), WEB)).toBe(true);
  expect(identityValidationAccepts(authorizer(`\\A${WEB}\\z`), `x${WEB}`)).toBe(false);
  expect(compileIdentityValidation('a++')).toBeUndefined();
});
