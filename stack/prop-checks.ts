// Problem helpers of the props checks: problems that speak in prop paths and echo the value received.
import { pointerOf, type ProblemList } from '../openapi/model/problems';

/** A whole-number range AWS documents for a prop; `span` says it in the words AWS uses, when they differ. */
export interface PropRange {
  min: number;
  max: number;
  unit: string;
  span?: string;
}

/** A fully qualified host name, as Cognito and API Gateway take custom domains. */
export const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** Problem helpers that speak in prop paths. */
export class Checks {
  constructor(private readonly list: ProblemList) {}

  problem(rule: string, at: (string | number)[], message: string, fix: string): void {
    this.list.error(rule, pointerOf(...at), message, fix);
  }

  /** A whole number in `range`; `fallback` is what leaving the prop out gives. */
  range(rule: string, at: (string | number)[], what: string, value: unknown, range: PropRange, fallback: number): void {
    if (value === undefined) return;
    const inRange = typeof value === 'number' && value >= range.min && value <= range.max;
    if (inRange && Number.isInteger(value)) return;
    const bounds = `${range.min} to ${range.max} ${range.unit}${range.span ? `, ${range.span}` : ''}`;
    this.problem(
      rule,
      at,
      inRange
        ? `${what} must be a whole number: ${bounds} (received: ${shown(value)}).`
        : `${what} must be ${bounds} (received: ${shown(value)}).`,
      `Set ${propPath(at)} to a whole number from ${range.min} to ${range.max}, or leave it out for ${fallback}.`,
    );
  }
}

/** The value as the props would spell it. */
export function shown(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** `userPool.passwordPolicy.minimumLength`, `clients["my app"].callbackUrls[0]`. */
export function propPath(segments: (string | number)[]): string {
  return segments
    .map((segment, i) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `${i === 0 ? '' : '.'}${segment}`
          : `[${JSON.stringify(segment)}]`,
    )
    .join('');
}
