#!/usr/bin/env node
// gatehouse <command>: the installed package's bin (built to dist/cli/gatehouse.js). The AWS SDK's notice
// about Node versions it will drop in 2027 concerns no gatehouse command, so it is switched off, with the
// SDK's own setting, unless the user set that setting. The program is required only after the compile cache
// is on, so every module of the command (commander included) is compiled through it. `--version` alone is
// answered before any of that, as commander would answer it: the version and a newline, exit 0.
import { asksVersionOnly, packageVersion } from './version';

if (require.main === module && asksVersionOnly(process.argv.slice(2))) {
  process.stdout.write(`${packageVersion()}\n`);
} else if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // From the built JavaScript only: run from source, tsx compiles each module itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- not loaded at all for --version
  if (__filename.endsWith('.js')) (require('./compile-cache') as typeof import('./compile-cache')).enableCompileCache();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the cache is on, not hoisted above it
  const { main } = require('./program') as typeof import('./program');
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
