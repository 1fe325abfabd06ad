// The harness on the API's custom domain: where the checks are sent (the custom-domain URL when the outputs
// hold one), and the one check that proves the execute-api endpoint refuses once disableExecuteApiEndpoint
// turns it off.
import type { StackOutputs } from '../stack/outputs';
import { harnessInputError, received } from './errors';
import type { ExpectedOutcome } from './expectations';
import type { Check, Plan } from './plan';

/** The custom-domain fields of the outputs, as read from an outputs file at `base` of `file`. */
export function customDomainOutputs(
  raw: Record<string, unknown>,
  file: string,
  base: string,
): Pick<StackOutputs, 'api_custom_domain_url' | 'execute_api_endpoint_disabled'> {
  const fail = (field: string, what: string, fix: string): never => {
    throw harnessInputError('outputs-field', file, `${base}/${field}`, what, fix);
  };
  const url = raw.api_custom_domain_url ?? '';
  if (typeof url !== 'string' || (url !== '' && !isHttpUrl(url)))
    fail(
      'api_custom_domain_url',
      `Expected an absolute http or https URL, or "" for an API without a custom domain (received: ${received(url)}).`,
      'Use the outputs the gatehouse module or `gatehouse local` wrote.',
    );
  const flag = raw.execute_api_endpoint_disabled ?? false;
  // Terraform writes booleans as they are; some tools pass outputs on as strings.
  const disabled = flag === true || flag === 'true';
  if (!disabled && flag !== false && flag !== 'false')
    fail(
      'execute_api_endpoint_disabled',
      `Expected true or false (received: ${received(flag)}).`,
      'Use the outputs the gatehouse module or `gatehouse local` wrote.',
    );
  if (disabled && url === '')
    fail(
      'execute_api_endpoint_disabled',
      'The execute-api endpoint is turned off, and api_custom_domain_url is empty: no URL is left for the checks (received: true).',
      'Give the API a custom domain (apiDomain), or leave disableExecuteApiEndpoint out.',
    );
  return { api_custom_domain_url: (url as string).replace(/\/+$/, ''), execute_api_endpoint_disabled: disabled };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Where a check is sent: the custom domain when the API has one (so the team's own URL is what is tested). */
export function apiUrlFor(check: Pick<Check, 'endpoint'>, outputs: StackOutputs): string {
  if (check.endpoint === 'execute-api') return outputs.api_url;
  return outputs.api_custom_domain_url || outputs.api_url;
}

/**
 * The execute-api endpoint refuses every request once it is turned off: "Clients can still connect to your
 * default endpoint, but they will receive a 403 Forbidden status code" (API Gateway developer guide, "Disable
 * the default endpoint for REST APIs"). The HTTP API guide ("Disable the default endpoint for HTTP APIs")
 * names no status: unverified there, 403 is assumed alike. The body is unverified for both, so only the
 * status is asserted.
 */
export const EXECUTE_API_DISABLED: ExpectedOutcome = {
  outcome: 'rejected',
  status: 403,
  rule: 'execute-api endpoint turned off (disableExecuteApiEndpoint): 403 Forbidden',
};

/**
 * One check more when the outputs say the execute-api endpoint is off: the request of a planned check that
 * should pass (a valid token, or a public route), sent to api_url instead of the custom domain. A request
 * that passes on the domain and is refused there proves the endpoint itself refuses, not the authorizer.
 */
export function addExecuteApiRefusal(plan: Plan, outputs: StackOutputs): void {
  if (!outputs.execute_api_endpoint_disabled) return;
  const passing = plan.checks.find((c) => c.expected.outcome === 'success' && c.endpoint === undefined);
  const base = passing ?? plan.checks.find((c) => c.endpoint === undefined);
  if (!base) return;
  plan.checks.push({
    ...base,
    name: `${base.operation.id} execute-api-disabled`,
    case: 'execute-api-disabled',
    endpoint: 'execute-api',
    expected: EXECUTE_API_DISABLED,
    description: `${base.description}, sent to the execute-api endpoint (api_url), which disableExecuteApiEndpoint turns off`,
  });
}
