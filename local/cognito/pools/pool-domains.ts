// A pool's hosted-UI domain, which cognito-local has no operation for: CreateUserPoolDomain with a prefix
// (Cognito's pattern, none of its reserved words) or a custom domain with its ACM certificate, and
// DeleteUserPoolDomain. The pool record keeps it as Domain or CustomDomain, which DescribeUserPool then shows
// (API reference, UserPoolType: "Domain: The domain prefix, if the user pool has a domain associated with
// it"; CustomDomain: the custom domain name). Locally every domain is served at the instance's own URL, so
// no CloudFront distribution is reported; and a prefix is not refused for being another local pool's (AWS
// refuses one taken in the Region), since one local Cognito serves a stack's stand-in pools, made from
// the same props.
import { isValidDomainPrefix, RESERVED_IN_DOMAIN_PREFIX } from '../../../stack/validate-props';
import type { UserPool } from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, stringField } from '../protocol/request-fields';
import type { AddedRoutes } from '../wiring/target-guards';

const PREFIX_PATTERN = '^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$';
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

type DomainRecord = UserPool & { Domain?: string; CustomDomain?: string };

function checkPrefix(prefix: string): void {
  const reserved = RESERVED_IN_DOMAIN_PREFIX.find((word) => prefix.includes(word));
  if (reserved) throw cognitoError('InvalidParameterException', `Domain cannot contain reserved word: ${reserved}`);
  if (!isValidDomainPrefix(prefix))
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${prefix}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PREFIX_PATTERN}`,
    );
}

export const poolDomainRoutes: AddedRoutes = {
  CreateUserPoolDomain: (services) => async (ctx, req) => {
    const domain = requireString(req, 'Domain');
    const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
    const certificateArn = stringField(objectField(req, 'CustomDomainConfig'), 'CertificateArn');
    const record = pool.options as DomainRecord;
    if (certificateArn === undefined) checkPrefix(domain);
    else if (!HOST_NAME.test(domain))
      throw cognitoError(
        'InvalidParameterException',
        `A custom domain must be a fully qualified host name (received: ${domain}).`,
      );
    if ((certificateArn === undefined ? record.Domain : record.CustomDomain) !== undefined)
      throw cognitoError('InvalidParameterException', 'User pool already has a domain configured.');
    await pool.updateOptions(ctx, {
      ...record,
      ...(certificateArn === undefined ? { Domain: domain } : { CustomDomain: domain }),
    } as DomainRecord);
    const version = req.ManagedLoginVersion;
    return { ManagedLoginVersion: typeof version === 'number' ? version : 1 };
  },
  DeleteUserPoolDomain: (services) => async (ctx, req) => {
    const domain = requireString(req, 'Domain');
    const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
    const { Domain, CustomDomain, ...rest } = pool.options as DomainRecord;
    if (domain !== Domain && domain !== CustomDomain)
      throw cognitoError('InvalidParameterException', `User pool ${pool.options.Id} has no domain ${domain}.`);
    await pool.updateOptions(ctx, {
      ...rest,
      ...(domain === Domain ? {} : { Domain }),
      ...(domain === CustomDomain ? {} : { CustomDomain }),
    } as DomainRecord);
    return {};
  },
};
