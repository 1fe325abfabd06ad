/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/'],
  // Type errors are caught by `npm run typecheck`, run first by `npm test`; ts-jest only strips types here.
  testTimeout: 60000,
};
