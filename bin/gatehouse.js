#!/usr/bin/env node
'use strict';
// The CLI in this repository, run from its TypeScript through tsx (no build needed while developing). The
// installed package's bin is the built dist/cli/gatehouse.js.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
import('tsx/esm').then(() => {
  const { main } = require('../cli/program.ts');
  return main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
});
