// `gatehouse/local`: start and stop a local stack (local Cognito and API Gateway) from a document, without
// cdktf, an AWS account or any request leaving 127.0.0.1.
export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack';
export type { CapturedCode, CodePurpose } from './cognito';
export type { StackOutputs } from '../stack/outputs';
