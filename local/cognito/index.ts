// The local Cognito: cognito-local with the behaviours this product depends on filled in.
export { startLocalCognito, DEFAULT_REGION, type LocalCognito, type LocalCognitoOptions } from './local-cognito';
export { provisionPool, type ProvisionedPool, type ProvisionOptions } from './provision';
export { secretHashOf } from './secret-hash';
export { USER_API_SCOPE } from './cognito-tokens';
