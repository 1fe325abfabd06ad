// The variables API Gateway itself resolves in a document: the AWS variables for OpenAPI import
// (${AWS::Region}, ${AWS::AccountId}, ${AWS::Partition}), resolved at import "to the account and Region that
// import the API" (https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html),
// and ${stageVariables.<name>}, resolved per request from the stage. Documents keep them as written: the body
// then imports unchanged into any account and Region. Whatever runs the API without AWS resolves them here.

/** The AWS import variables, as regex sources matching their `${...}` form. */
export const AWS_IMPORT_VARIABLE = {
  region: '\\$\\{AWS::Region\\}',
  accountId: '\\$\\{AWS::AccountId\\}',
  partition: '\\$\\{AWS::Partition\\}',
} as const;

/** Their names, as written inside `${...}`. */
export const AWS_IMPORT_VARIABLES = ['AWS::Region', 'AWS::AccountId', 'AWS::Partition'];

/** `${stageVariables.<name>}`: a stage variable, resolved by API Gateway per request. */
export const STAGE_VARIABLE = /^stageVariables\.[A-Za-z0-9_]+$/;

export interface AwsValues {
  region: string;
  accountId: string;
  /** Default `aws`. */
  partition?: string;
}

/** The value as API Gateway imports it into this account and Region; stage variables are left as written. */
export function resolveAwsVariables(value: string, aws: AwsValues): string {
  return value
    .replace(/\$\{AWS::Region\}/g, aws.region)
    .replace(/\$\{AWS::AccountId\}/g, aws.accountId)
    .replace(/\$\{AWS::Partition\}/g, aws.partition ?? 'aws');
}
