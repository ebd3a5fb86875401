/**
 * What goes wrong when reading a scenario, in a form a user can act on: every problem names
 * where it is (file:line:column, or the `--set` override it came from), the dotted key path,
 * and what was expected. The message of a ScenarioError is only these lines, never a stack.
 */

export interface ScenarioProblem {
  /** The scenario file being read (as given by the caller). */
  readonly file: string;
  /** 1-based line in the file; absent when the problem is not tied to a place in the file. */
  readonly line?: number;
  /** 1-based column in the file. */
  readonly column?: number;
  /** Dotted key path such as `world.users.count` or `world.items.quality.beta[1]`; empty for the whole file. */
  readonly path: string;
  /** What is wrong and what was expected. */
  readonly message: string;
  /**
   * Set when the problem comes from a `--set` override rather than from the file: the
   * override's key path (or its whole text when the override itself is malformed).
   */
  readonly override?: string;
}

/** One problem as one line: `file:line:column: path: message` (or `--set key.path: message` for overrides). */
export function formatProblem(problem: ScenarioProblem): string {
  const message = singleLine(problem.message);
  if (problem.override !== undefined) {
    const showPath = problem.path !== '' && problem.path !== problem.override;
    return `--set ${problem.override}: ${showPath ? `${problem.path}: ` : ''}${message}`;
  }
  let where = problem.file;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  return `${where}: ${problem.path !== '' ? `${problem.path}: ` : ''}${message}`;
}

/** File-level problems first, then problems in the file by line and column, then `--set` problems in the order given. */
function sortProblems(problems: readonly ScenarioProblem[]): ScenarioProblem[] {
  const group = (p: ScenarioProblem): number => (p.override !== undefined ? 2 : p.line !== undefined ? 1 : 0);
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        group(a.problem) - group(b.problem) ||
        (a.problem.line ?? 0) - (b.problem.line ?? 0) ||
        (a.problem.column ?? 0) - (b.problem.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

function singleLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A scenario that cannot be used; `problems` lists every problem found, sorted by line. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    const unique = new Map<string, ScenarioProblem>();
    for (const problem of sortProblems(problems)) {
      const line = formatProblem(problem);
      if (!unique.has(line)) unique.set(line, Object.freeze({ ...problem }));
    }
    super([...unique.keys()].join('\n'));
    this.problems = Object.freeze([...unique.values()]);
  }
}
