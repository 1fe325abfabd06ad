// Bad input or configuration given to the harness: the CLI turns these into exit code 2. Kept here (not
// in cli/) so the harness library has no dependency on the CLI.
export class HarnessInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessInputError';
  }
}
