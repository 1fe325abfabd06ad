#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI through tsx, so an installed checkout needs no build step.
require('tsx/cjs');
const { main } = require('../cli/gatehouse.ts');
const { reportError, exitCodeOf } = require('../cli/errors.ts');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { reportError(error); process.exitCode = exitCodeOf(error); },
);
