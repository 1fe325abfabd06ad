// A string cdktf receives already resolved. cdktf tokenizes every string that holds a token, and its
// tokenizer rescans the rest of the string at each `}` (quadratic): a 1,000-operation document took
// seconds. Resolving each reference on its own and joining the text here keeps synth linear, and the
// result is the same text cdktf would have written.
import { Token, type IResolvable, type IResolveContext } from 'cdktf';

/** A reference (cdktf token string) resolved to its Terraform form, e.g. `${aws_x.y.arn}`. */
export type ReferenceResolver = (reference: string) => string;

class SynthTimeString implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly build: (resolveReference: ReferenceResolver) => string) {}

  resolve(context: IResolveContext): string {
    return this.build((reference) => {
      const resolved: unknown = context.resolve(reference);
      if (typeof resolved !== 'string')
        throw new TypeError(`A bound reference resolved to ${typeof resolved}, not a string.`);
      return resolved;
    });
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** A string attribute value built at synth time from references resolved one by one. */
export function synthTimeString(build: (resolveReference: ReferenceResolver) => string): string {
  return Token.asString(new SynthTimeString(build));
}
