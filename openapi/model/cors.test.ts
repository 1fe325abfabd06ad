// x-amazon-apigateway-cors in the model: read as written for an HTTP API, refused where API Gateway refuses
// the import, and flagged (not modelled) on a REST API, which ignores it.
import { readCors } from './cors';
import { ProblemList } from './problems';
import type { JsonObject } from './types';

function read(ext: unknown, kind: 'http' | 'rest' = 'http') {
  const problems = new ProblemList('/api.yaml');
  const doc = (ext === undefined ? {} : { 'x-amazon-apigateway-cors': ext }) as JsonObject;
  return { cors: readCors(doc, kind, problems), problems: problems.items.map((p) => [p.severity, p.rule, p.pointer]) };
}

test('an HTTP API: every field as written, absent lists empty', () => {
  expect(
    read({
      allowOrigins: ['https://app.example.com', 'http://*'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization'],
      exposeHeaders: ['x-request-id'],
      maxAge: 300,
      allowCredentials: true,
    }),
  ).toEqual({
    cors: {
      allowOrigins: ['https://app.example.com', 'http://*'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization'],
      exposeHeaders: ['x-request-id'],
      maxAge: 300,
      allowCredentials: true,
    },
    problems: [],
  });
  expect(read({ allowOrigins: ['*'] }).cors).toEqual({
    allowOrigins: ['*'],
    allowMethods: [],
    allowHeaders: [],
    exposeHeaders: [],
    maxAge: undefined,
    allowCredentials: false,
  });
  expect(read(undefined).cors).toBeUndefined();
});

test('credentials with any origin is refused, as API Gateway refuses the import', () => {
  expect(read({ allowOrigins: ['*'], allowCredentials: true }).problems).toEqual([
    ['error', 'cors-credentials-any-origin', '/x-amazon-apigateway-cors/allowOrigins'],
  ]);
});

test('malformed members are errors at their pointer', () => {
  expect(read('yes').problems).toEqual([['error', 'cors-shape', '/x-amazon-apigateway-cors']]);
  expect(
    read({ allowOrigins: 'https://app.example.com', allowMethods: [1], allowCredentials: 'true', maxAge: 86401 })
      .problems,
  ).toEqual([
    ['error', 'cors-shape', '/x-amazon-apigateway-cors/allowOrigins'],
    ['error', 'cors-shape', '/x-amazon-apigateway-cors/allowMethods'],
    ['error', 'cors-shape', '/x-amazon-apigateway-cors/allowCredentials'],
    ['error', 'cors-max-age', '/x-amazon-apigateway-cors/maxAge'],
  ]);
  expect(read({ maxAge: -1 }).problems).toEqual([]);
});

test('a REST API ignores the extension: a warning, and no CORS in the model', () => {
  expect(read({ allowOrigins: ['*'] }, 'rest')).toEqual({
    cors: undefined,
    problems: [['warning', 'cors-on-rest-api', '/x-amazon-apigateway-cors']],
  });
});
