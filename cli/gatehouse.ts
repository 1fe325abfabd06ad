#!/usr/bin/env node
// gatehouse <command>: the installed package's bin (built to dist/cli/gatehouse.js). The AWS SDK's notice
// about Node versions it will drop in 2027 concerns no gatehouse command, so it is switched off, with the
// SDK's own setting, unless the user set that setting.
import { main } from './program';

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
