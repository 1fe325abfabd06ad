// The package's main entry (`import { SecuredApi } from 'gatehouse'`): the construct, its props and outputs
// types, and the document loader and linter. Importing it loads the CDK for Terraform the app uses.
export { SecuredApi } from './secured-api';
export type {
  AccessLoggingOptions,
  ApiDomainOptions,
  ApiEndpointType,
  AppClientOptions,
  ExplicitAuthFlow,
  FunctionVpc,
  HostedUiDomain,
  LambdaFunctionOptions,
  OAuthFlow,
  PasswordPolicy,
  SecuredApiProps,
  SignInAttribute,
  TokenValidity,
  UserPoolOptions,
} from '../stack/props';
export {
  OUTPUT_NAMES,
  type ClientOutput,
  type OutputName,
  type PoolOutput,
  type SignUpUrls,
  type StackOutputs,
} from '../stack/outputs';
export { lintSpec, loadApiModel, type LintResult } from '../openapi/model/load';
export type { ApiModel } from '../openapi/model/types';
export {
  InputError,
  ProblemError,
  PropsError,
  SpecError,
  formatProblems,
  type Problem,
  type SpecProblem,
} from '../openapi/model/problems';
