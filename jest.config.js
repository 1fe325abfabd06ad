/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/'],
  // Type errors are caught by `npm run typecheck`, run first by `npm test`; ts-jest only strips types here.
  // Per test and per hook (a beforeAll starting a local stack included). Measured December 2026 with
  // `npx jest <file> --json`, file by file, the 2-core machine shared by several engineers at load 13-18:
  // ordinary local-stack tests took up to 18-20 s (local/hard-coded-pools.test.ts 17.8 s and one over 20 s,
  // local/document-matrix.test.ts 11.6 s, contract-tests/run.test.ts 9.4 s), starting a local stack in
  // beforeAll about 9 s. 30 s stays clear of that load and still shows a hang in half a minute, not a minute.
  // Files whose tests run child processes that synthesize or start the whole stack set their own limit
  // (jest.setTimeout at the top, with the reason) or pass one to the test.
  testTimeout: 30000,
};
