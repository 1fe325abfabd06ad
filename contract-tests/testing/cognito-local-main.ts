// Test support, run as a child process: cognito-local in its own process, because one of its
// dependencies is ESM-only and jest's module loader cannot require it. Prints {"endpoint"} once
// listening; stops when stdin closes (the parent ended or died) or on SIGTERM.
import { startCognitoLocal } from './cognito-local';

startCognitoLocal().then(
  (cognito) => {
    const stop = () => cognito.stop().finally(() => process.exit(0));
    process.stdin.on('end', stop);
    process.stdin.resume();
    process.on('SIGTERM', stop);
    process.stdout.write(`${JSON.stringify({ endpoint: cognito.endpoint })}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`cognito-local: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
