// The start-up lines of `gatehouse local` and `gatehouse start`: routes refused here (IAM, a Lambda authorizer
// without its function, API keys without local.apiKeys) are listed after the stand-ins and forwarded backends.
import { standInLines } from './listing';

test('refused routes are listed with their operation and reason, after stand-ins and forwarded backends', () => {
  const lines = standInLines(
    [
      {
        operation: 'getOrder',
        method: 'GET',
        path: '/orders/{id}',
        reason: 'AWS service integration dynamodb:GetItem',
      },
    ],
    [{ operation: 'GET /partner', method: 'GET', path: '/partner', uri: 'https://partner.example.com' }],
    [
      {
        operation: 'iamScheme',
        method: 'GET',
        path: '/iam',
        reason: 'IAM (AWS_IAM): no SigV4 signature can be verified here',
      },
      { operation: 'GET /keyed', method: 'GET', path: '/keyed', reason: 'requires an API key' },
    ],
  );
  expect(lines).toEqual([
    '  stand-in         GET /orders/{id} (getOrder): AWS service integration dynamodb:GetItem',
    '  forwarded        GET /partner -> https://partner.example.com (local.forward: requests carry tokens there)',
    '  refused          GET /iam (iamScheme): IAM (AWS_IAM): no SigV4 signature can be verified here',
    '  refused          GET /keyed: requires an API key',
  ]);
});
