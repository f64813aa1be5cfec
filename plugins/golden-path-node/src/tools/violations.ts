import { InputError } from '@backstage/errors';

/**
 * One finding of a lint-like tool, in the shape every action outputs.
 *
 * @public
 */
export interface Violation {
  path: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

/**
 * A tool config names something this installation does not allow to run: bad
 * input (an InputError, named so for Backstage's error mapping), its message
 * one line saying where, why and how to fix.
 *
 * @public
 */
export class UnsafeToolConfigError extends InputError {}
