/** One finding of a lint-like tool, in the shape every action outputs. */
export interface Violation {
  path: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

/** A tool config names something this installation does not allow to run. */
export class UnsafeToolConfigError extends Error {
  name = 'UnsafeToolConfigError';
}
