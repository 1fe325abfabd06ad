// Measures a cold start of the local Cognito: loading its code, starting it and provisioning the pets
// document's pool. Run: npx tsx bench/cognito-cold-start.ts [openapi file]
import * as path from 'node:path';

async function main(): Promise<void> {
  const spec = path.resolve(process.argv[2] ?? path.join(__dirname, '../openapi/pets.yaml'));
  const { loadApiModel } = await import('../openapi');
  const { appProps, stackNameOf } = await import('../stack/app-props');
  const { resolveProps } = await import('../stack/resolve');
  const model = await loadApiModel(spec);
  const resolved = resolveProps(appProps(model.file), model, stackNameOf(model.title));

  const t0 = performance.now();
  const { startLocalCognito, provisionPool } = await import('../local/cognito/index');
  const t1 = performance.now();
  const cognito = await startLocalCognito();
  const t2 = performance.now();
  await provisionPool(cognito, resolved);
  const t3 = performance.now();
  await cognito.stop();

  const awsSdkV2 = Object.keys(require.cache).some((file) =>
    file.includes(`${path.sep}node_modules${path.sep}aws-sdk${path.sep}`),
  );
  const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
  process.stdout.write(
    `load ${ms(t0, t1)}, start ${ms(t1, t2)}, provision ${ms(t2, t3)}; total ${ms(t0, t3)} (aws-sdk v2 loaded: ${awsSdkV2 ? 'yes' : 'no'})\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
