// IAM authorization (AWS_IAM, `x-amazon-apigateway-authtype: awsSigv4`). API Gateway checks a SigV4 signature
// against real IAM credentials and the caller's execute-api:Invoke permission. Neither exists on this machine,
// so the local gateway refuses every request, fail closed, with the answer AWS gives for what it was sent:
// - unsigned: REST 403 MISSING_AUTHENTICATION_TOKEN "Missing Authentication Token"
//   (x-amzn-ErrorType MissingAuthenticationTokenException; "How do I troubleshoot HTTP 403 errors from API
//   Gateway?", https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden, and "API request
//   isn't signed when the API method has IAM authentication turned on",
//   https://repost.aws/knowledge-center/api-gateway-authentication-token-errors); HTTP API 403 Forbidden
//   (unverified: only the status is known).
// - an Authorization header that is not SigV4 (a bearer token): REST reads it as a signature and fails to
//   parse it, 403 IncompleteSignatureException, as for an unknown route (docs/aws-authorizer-semantics.md).
// - a SigV4 signature: it cannot be verified here, so it is treated as one that does not match: REST 403
//   INVALID_SIGNATURE (InvalidSignatureException, the same page); HTTP API 403 Forbidden (unverified).
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayError } from '../reply';
import { refused, type Refused } from './outcome';

const SIGV4 = /^AWS4-HMAC-SHA256\s/i;
const HTTP_FORBIDDEN = { status: 403, message: 'Forbidden' };

export function authorizeIam(headers: IncomingHttpHeaders, query: URLSearchParams): Refused {
  const authorization = headers.authorization?.trim();
  if (SIGV4.test(authorization ?? '') || query.has('X-Amz-Signature'))
    return refused('a SigV4 signature cannot be verified locally (no IAM credentials here)', invalidSignature());
  if (authorization)
    return refused('the Authorization header is not a SigV4 signature', {
      type: 'MISSING_AUTHENTICATION_TOKEN',
      status: 403,
      // AWS names the header by its hash rather than echoing it, which also keeps the token out of the reply.
      message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${createHash('sha256').update(authorization).digest('base64')}'.`,
      errorType: 'IncompleteSignatureException',
      http: HTTP_FORBIDDEN,
    });
  return refused('the request is not signed', {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
    http: HTTP_FORBIDDEN,
  });
}

function invalidSignature(): GatewayError {
  return {
    type: 'INVALID_SIGNATURE',
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    errorType: 'InvalidSignatureException',
    http: HTTP_FORBIDDEN,
  };
}
