// The few parts of Dredd's Node.js hooks API the bench hooks use; Dredd ships no type declarations.
// Dredd injects the `hooks` module into each hook file (proxyquire), so it exists only there.
declare module 'hooks' {
  interface DreddTransaction {
    name: string;
    origin: { resourceName: string; actionName: string };
    request: { method: string; uri: string; headers: Record<string, string> };
    expected: { statusCode: string };
    skip: boolean;
    /** Set to a message to fail the transaction. */
    fail: boolean | string;
  }
  type Done = () => void;
  const hooks: {
    beforeAll(hook: (transactions: DreddTransaction[], done: Done) => void): void;
    afterAll(hook: (transactions: DreddTransaction[], done: Done) => void): void;
    beforeEach(hook: (transaction: DreddTransaction) => void): void;
    log(message: string): void;
  };
  export = hooks;
}
