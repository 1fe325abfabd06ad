// The props that place the API and its functions in the team's own network and names: the API's custom
// domain and the functions' VPC. Refused where the props are resolved, like the rest (validate-props.ts).
import type { ApiModel } from '../openapi/model/types';
import type { ApiDomainOptions, FunctionVpc, HostedUiDomain } from './props';
import { Checks, HOST_NAME, shown } from './prop-checks';

const ENDPOINT_TYPES = ['REGIONAL', 'EDGE'];
/** An ACM certificate ARN; the region is its fourth field. */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;
/** Base path segments as API Gateway's base path mappings and API mappings take them (no leading slash). */
const BASE_PATH = /^[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;
const ROUTE53_ZONE_ID = /^[A-Z0-9]{1,32}$/;
/** EC2's resource ids: the prefix and 8 (older) or 17 hex digits. */
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
/** Lambda's VpcConfig limits. */
const MAX_SUBNETS = 16;
const MAX_SECURITY_GROUPS = 5;

/**
 * A value known only at apply time: a cdktf token or a Terraform interpolation (`${...}`), such as the ARN of
 * a certificate or the id of a subnet made in the same stack. Only its presence can be checked at synth.
 */
export function isUnresolved(value: string): boolean {
  return value.includes('${');
}

/** The region of a literal ACM certificate ARN; undefined for a reference or a value that is no such ARN. */
export function certificateRegion(arn: string): string | undefined {
  return CERTIFICATE_ARN.exec(arn)?.[1];
}

export function checkApiDomain(
  check: Checks,
  domain: ApiDomainOptions | undefined,
  model: ApiModel,
  hostedUi: HostedUiDomain | undefined,
): void {
  if (domain === undefined) return;
  const at = (key: keyof ApiDomainOptions) => ['apiDomain', key];
  const name = domain.domainName;
  if (typeof name !== 'string' || (!isUnresolved(name) && !HOST_NAME.test(name)))
    check.problem(
      'props-api-domain',
      at('domainName'),
      `The API's custom domain must be a fully qualified host name (received: ${shown(name)}).`,
      'Set apiDomain.domainName to a name in your zone, e.g. "api.example.com".',
    );
  else if (hostedUi !== undefined && 'customDomain' in hostedUi && hostedUi.customDomain === name)
    check.problem(
      'props-api-domain',
      at('domainName'),
      `The API and the hosted UI cannot share one custom domain, and domain.customDomain is the same name (received: ${shown(name)}).`,
      'Give the API a name of its own, e.g. "api.example.com" beside "auth.example.com".',
    );
  const type = domain.endpointType ?? 'REGIONAL';
  if (!ENDPOINT_TYPES.includes(type))
    check.problem(
      'props-api-domain',
      at('endpointType'),
      `The endpoint type must be REGIONAL or EDGE (received: ${shown(domain.endpointType)}).`,
      "Set apiDomain.endpointType to 'REGIONAL', or 'EDGE' for a REST API served through CloudFront.",
    );
  else if (type === 'EDGE' && model.kind === 'http')
    check.problem(
      'props-api-domain',
      at('endpointType'),
      `An HTTP API's custom domain is REGIONAL only; EDGE is for REST APIs (received: ${shown(domain.endpointType)}).`,
      "Set apiDomain.endpointType to 'REGIONAL', or leave it out.",
    );
  checkCertificate(check, domain.certificateArn, ENDPOINT_TYPES.includes(type) ? type : 'REGIONAL');
  const basePath = domain.basePath;
  if (basePath !== undefined && !BASE_PATH.test(basePath))
    check.problem(
      'props-api-domain',
      at('basePath'),
      `A base path is one or more segments of letters, digits and - . _ ~, separated by "/", without a leading or trailing "/" (received: ${shown(basePath)}).`,
      `Set apiDomain.basePath to e.g. "v1"${typeof basePath === 'string' && BASE_PATH.test(basePath.replace(/^\/+|\/+$/g, '')) ? ` ("${basePath.replace(/^\/+|\/+$/g, '')}")` : ''}, or leave it out to serve the stage at the root of the domain.`,
    );
  const zone = domain.route53ZoneId;
  if (zone !== undefined && !isUnresolved(zone) && !ROUTE53_ZONE_ID.test(zone))
    check.problem(
      'props-api-domain',
      at('route53ZoneId'),
      `A Route53 hosted zone id is 1 to 32 upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ (received: ${shown(zone)}).`,
      'Set apiDomain.route53ZoneId to the id of the hosted zone (without /hostedzone/), or leave it out to make the record yourself.',
    );
}

function checkCertificate(check: Checks, arn: string, type: string): void {
  const at = ['apiDomain', 'certificateArn'];
  if (typeof arn === 'string' && isUnresolved(arn)) return;
  const region = typeof arn === 'string' ? certificateRegion(arn) : undefined;
  if (region === undefined)
    check.problem(
      'props-api-domain',
      at,
      `The certificate must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id> (received: ${shown(arn)}).`,
      'Pass the ARN of the certificate ACM issued or imported for apiDomain.domainName.',
    );
  else if (type === 'EDGE' && region !== 'us-east-1')
    check.problem(
      'props-api-domain',
      at,
      `An EDGE domain is served by CloudFront, which takes its certificate from ACM in us-east-1 only, and this one is in ${region} (received: ${shown(arn)}).`,
      "Request or import the certificate in ACM in us-east-1, or set apiDomain.endpointType to 'REGIONAL' and use a certificate of the stack's region.",
    );
}

export function checkFunctionVpc(check: Checks, key: string, vpc: FunctionVpc | undefined): void {
  if (vpc === undefined) return;
  const lists = [
    { field: 'subnetIds', what: 'subnet', pattern: SUBNET_ID, max: MAX_SUBNETS, example: 'subnet-0123456789abcdef0' },
    {
      field: 'securityGroupIds',
      what: 'security group',
      pattern: SECURITY_GROUP_ID,
      max: MAX_SECURITY_GROUPS,
      example: 'sg-0123456789abcdef0',
    },
  ] as const;
  for (const { field, what, pattern, max, example } of lists) {
    const ids: unknown = vpc[field];
    const at = ['functions', key, 'vpc', field];
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > max) {
      check.problem(
        'props-function-vpc',
        at,
        `A function in a VPC needs 1 to ${max} ${what} ids (received: ${shown(ids)}).`,
        `Set functions.${key}.vpc.${field} to e.g. ["${example}"], or leave vpc out to run the function outside any VPC.`,
      );
      continue;
    }
    ids.forEach((id: unknown, i) => {
      if (typeof id === 'string' && (isUnresolved(id) || pattern.test(id))) return;
      check.problem(
        'props-function-vpc',
        [...at, i],
        `A ${what} id is "${example.split('-')[0]}-" and 8 or 17 lower-case hex digits (received: ${shown(id)}).`,
        `Use the id EC2 shows for the ${what}, e.g. "${example}", or a reference to one made in this stack.`,
      );
    });
  }
}
