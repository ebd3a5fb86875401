/** What a component's check across fields reports: where in the scenario, and what is wrong. */

/** A mapping key or a list index. */
export type PathSegment = string | number;
export type KeyPath = readonly PathSegment[];

export interface ConsistencyProblem {
  /**
   * Where to report the problem, best first: it is shown at the first of these paths the user
   * actually wrote (in the file or with --set), else at the nearest parent of the first.
   */
  readonly paths: readonly KeyPath[];
  readonly message: string;
}
