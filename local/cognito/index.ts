// The local Cognito: cognito-local with the behaviours this product depends on filled in.
//
// For the harness and browser work (everything over HTTP at LocalCognito.url, one instance for all pools):
// - JSON API (POST /, X-Amz-Target AWSCognitoIdentityProviderService.*): the AWS SDK and
//   amazon-cognito-identity-js (`endpoint: cognito.url`) work against it, including USER_SRP_AUTH,
//   SignUp / ConfirmSignUp / ResendConfirmationCode / ForgotPassword / ConfirmForgotPassword,
//   REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken (with the client's RefreshTokenRotation), RevokeToken,
//   GlobalSignOut, AdminUserGlobalSignOut (signed-out access tokens refused by GetUser and the other user
//   operations), PreventUserExistenceErrors (LEGACY unless the client says ENABLED).
// - Users named as Cognito names them: Admin* operations take the username, the sub or an alias (a verified
//   e-mail or phone, preferred_username, in an AliasAttributes pool); ListUsers pages (Limit, PaginationToken)
//   and filters as the API reference says (`status = "Enabled"`, `cognito:user_status = "CONFIRMED"`, ^=);
//   GetUserAttributeVerificationCode sends to the attribute named and answers CodeDeliveryDetails.
// - Pools: CreateUserPoolDomain / DeleteUserPoolDomain (DescribeUserPool's Domain or CustomDomain;
//   provisionPool creates the props' domain), DeletionProtection (DeleteUserPool refused while ACTIVE).
// - Choice-based sign-in (AuthFlow USER_AUTH, the client's ALLOW_USER_AUTH, the pool's SignInPolicy and
//   UserPoolTier): PREFERRED_CHALLENGE PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, or SELECT_CHALLENGE with
//   AvailableChallenges; passkeys refused (no WebAuthn here). RespondToAuthChallenge and
//   AdminRespondToAuthChallenge with real Sessions (three minutes, a new one per challenge).
// - MFA by the pool's MfaConfiguration (OFF, OPTIONAL, ON): TOTP (MFA_SETUP with AssociateSoftwareToken and
//   VerifySoftwareToken on the Session, or with an access token; SOFTWARE_TOKEN_MFA, each code once), SMS and
//   e-mail codes (SMS_MFA, EMAIL_OTP) in the mailbox, SELECT_MFA_TYPE, SetUserMFAPreference and
//   AdminSetUserMFAPreference.
// - CORS as Cognito sends it on the JSON API, the token, revocation and userInfo endpoints, discovery and
//   JWKS, so browser apps (Amplify, the SDK's browser build) can call it from any origin.
// - Codes are never mailed (MFA and sign-in codes neither, purpose 'Authentication'): read them with `cognito.codesFor(poolId, username)` in-process, or over HTTP at
//   GET <url>/_local/codes?poolId=<id>&username=<name> -> {"codes": CapturedCode[]} (newest first; local
//   only, Cognito has no such endpoint). AdminCreateUser invitations (temporary passwords) land there too.
// - Hosted UI: GET <url>/oauth2/authorize (response_type code|token, PKCE S256, state, nonce; the pool is
//   the client_id's) -> 302 to /login, a plain form posting `username` and `password`, then the pages the
//   sign-in needs (a new password for a temporary one; an authenticator-app, SMS or e-mail code; a choice of
//   factor; setting up an authenticator app when the pool requires MFA), each posting `session`,
//   `challenge` and its answer (`new_password` and `confirm_password`, `code`, `answer`); a session cookie
//   (`cognito`) then skips the form and the pages until GET <url>/logout?client_id=&logout_uri=.
// - POST <url>/oauth2/token: authorization_code (code_verifier), refresh_token, client_credentials;
//   POST <url>/oauth2/revoke; GET <url>/oauth2/userInfo (Bearer access token holding openid).
// - Discovery: <url>/<poolId>/.well-known/openid-configuration and jwks.json. provisionPool(..., { issuer })
//   makes a pool's tokens carry a given (e.g. AWS) issuer while its JWKS stays local; `{ issuer: (id) =>
//   awsIssuerOf(region, id) }` gives it the issuer AWS would (`gatehouse local --issuer aws`).
export { startLocalCognito, DEFAULT_REGION, type LocalCognito, type LocalCognitoOptions } from './wiring/local-cognito';
export { provisionPool, type ProvisionedPool, type ProvisionOptions } from './pools/provision';
export { awsIssuerOf } from './pools/pool-issuers';
export { secretHashOf } from './guards/secret-hash';
export { USER_API_SCOPE } from './tokens/cognito-tokens';
export type { CapturedCode, CodePurpose } from './users/code-mailbox';
export { AUTHORIZATION_CODE_LIFETIME_MS } from './oauth/authorization-codes';
export { SIGN_UP_CODE_LIFETIME_MS } from './users/self-sign-up';
export { RESET_CODE_LIFETIME_MS } from './users/forgot-password';
