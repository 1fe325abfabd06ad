// Stage access logs: a CloudWatch log group and the line format, shared by the REST and HTTP API stages.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { AccessLoggingOptions } from '../stack/props';

/** One JSON line per request; the authorizer error says why a caller was refused. */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  authorizerError: '$context.authorizer.error',
};

export interface AccessLogsProps {
  /** Log group name. */
  name: string;
  options: true | AccessLoggingOptions;
  tags?: Record<string, string>;
}

export class AccessLogs extends Construct {
  readonly destinationArn: string;
  readonly format = JSON.stringify(ACCESS_LOG_FIELDS);

  constructor(scope: Construct, id: string, props: AccessLogsProps) {
    super(scope, id);
    const { aws } = frameworkOf(this);
    const retention = props.options === true ? undefined : props.options.retentionDays;
    const group = new aws.CloudwatchLogGroup(this, 'group', {
      name: props.name,
      retentionInDays: retention ?? 30,
      tags: props.tags,
    });
    this.destinationArn = group.arn;
  }
}

/** The access-logging prop as options, or undefined when logging is off. */
export function accessLoggingOf(
  prop: boolean | AccessLoggingOptions | undefined,
): true | AccessLoggingOptions | undefined {
  return prop === undefined || prop === false ? undefined : prop;
}
