'use strict';
// Answers "Hello, World! I am <username>!" from the claims the authorizer put in the event.
// Works with the HTTP API 2.0 event (requestContext.authorizer.jwt.claims) and the REST/1.0 event
// (requestContext.authorizer.claims).
exports.handler = async (event) => {
  const context = (event && event.requestContext) || {};
  const authorizer = context.authorizer || {};
  const claims = (authorizer.jwt && authorizer.jwt.claims) || authorizer.claims || {};
  const who = claims.username || claims['cognito:username'] || claims.client_id || 'anonymous';
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `Hello, World! I am ${who}!`,
  };
};
