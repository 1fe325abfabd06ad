#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI through tsx, so an installed checkout needs no build step. Both hooks are needed:
// tsx/cjs for require(), tsx/esm for the dispatcher's import('./<command>'), which tsx/cjs leaves to Node's
// ESM loader.
require('tsx/cjs');
import('tsx/esm').then(() => {
  const { main } = require('../cli/gatehouse.ts');
  const { reportError, exitCodeOf } = require('../cli/errors.ts');
  return main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      reportError(error);
      process.exitCode = exitCodeOf(error);
    },
  );
});
