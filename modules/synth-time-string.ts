// A string cdktf receives already resolved. cdktf tokenizes every string that holds a token, and its
// tokenizer rescans the rest of the string at each `}` (quadratic): a 1,000-operation document took
// seconds. Resolving each reference on its own and joining the text here keeps synth linear, and the
// result is the same text cdktf would have written.
import type { IConstruct } from 'constructs';
import type { IResolvable, IResolveContext } from 'cdktf';
import { frameworkOf } from './cdk';

/** A reference (cdktf token string) resolved to its Terraform form, e.g. `${aws_x.y.arn}`. */
export type ReferenceResolver = (reference: string) => string;

class SynthTimeString implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(
    private readonly build: (resolveReference: ReferenceResolver) => string,
    private readonly asString: (value: IResolvable) => string,
  ) {}

  resolve(context: IResolveContext): string {
    return this.build((reference) => {
      const resolved: unknown = context.resolve(reference);
      if (typeof resolved !== 'string')
        throw new TypeError(`A bound reference resolved to ${typeof resolved}, not a string.`);
      return resolved;
    });
  }

  toString(): string {
    return this.asString(this);
  }
}

/** A string attribute value of a construct in `scope`, built at synth time from references resolved one by one. */
export function synthTimeString(scope: IConstruct, build: (resolveReference: ReferenceResolver) => string): string {
  const { Token } = frameworkOf(scope).core;
  const asString = (value: IResolvable) => Token.asString(value);
  return asString(new SynthTimeString(build, asString));
}
