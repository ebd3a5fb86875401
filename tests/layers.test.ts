/**
 * The layer rule of docs/ARCHITECTURE.md: every folder of src/ has a layer, and a module imports
 * (at run time or for types alone) only modules of its own layer or lower ones. Scenario loading
 * reaches the component layers only through their registries and section schemas, never a
 * component by name. Exceptions would be listed below with their reasons; the list may only
 * shrink (an entry that no longer matches an import fails the test), and it is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Lowest first. Folders on one line are one layer and may import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['core', 'rng', 'checkpoint'],
  ['settings'],
  ['world'],
  ['training', 'ml'],
  ['recommender'],
  ['metrics'],
  ['scenario'],
  ['plugins'],
  ['simulation', 'parallel'],
  ['run'],
  ['bandit', 'experiment', 'import', 'ope', 'sweep', 'classic'],
  ['report', 'query', 'init', 'replay', 'fit'],
  ['cli', 'index.ts'],
];

/** Folders whose components a scenario chooses by name; scenario/ may import from them only these modules. */
const COMPONENT_LAYERS = new Set(['world', 'recommender', 'metrics']);
const SCENARIO_MAY_IMPORT = /(^|\/)(registry|schema)\.ts$/;

/** Imports that break the rule, `from → to` (paths under src/), with why they are still there: none. */
const EXCEPTIONS: Readonly<Record<string, string>> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative modules a file imports or re-exports, type-only ones and dynamic `import()` included. */
function imports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

/** The folder of src/ a path belongs to (or `index.ts` for the package entry). */
function folderOf(path: string): string {
  return relative(SRC, path).split(sep)[0];
}

function rankOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Every import that breaks the rule, as `from → to`. */
function violations(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found = new Set<string>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    for (const target of targets) {
      const to = folderOf(target);
      const edge = `${relative(SRC, file).split(sep).join('/')} → ${relative(SRC, target).split(sep).join('/')}`;
      if (rankOf(to) > rankOf(from)) found.add(edge);
      if (from === 'scenario' && COMPONENT_LAYERS.has(to) && !SCENARIO_MAY_IMPORT.test(relative(SRC, target))) found.add(edge);
    }
  }
  return [...found].sort();
}

describe('layers of src/', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, imports(f, readFileSync(f, 'utf8'))] as const));

  it('every folder of src/ has a layer', () => {
    const folders = new Set(files.map(folderOf));
    expect(folders.size).toBeGreaterThan(15);
    expect([...folders].filter((folder) => rankOf(folder) < 0)).toEqual([]);
  });

  it('no module imports a higher layer, and scenario/ knows components only through registries, except the listed exceptions', () => {
    expect(graph.size).toBeGreaterThan(100);
    const found = violations(graph);
    expect(found.filter((edge) => !(edge in EXCEPTIONS))).toEqual([]);
    // The list only shrinks: an exception that no longer happens is removed from it.
    expect(Object.keys(EXCEPTIONS).filter((edge) => !found.includes(edge))).toEqual([]);
  });

  it('the check sees upward imports of every kind, and a scenario module naming a component', () => {
    const file = join(SRC, 'world', 'w.ts');
    const text = "import type { A } from '../metrics/types.js';\nexport { b } from './b.js';\nconst c = await import('../ope/c.js');\ntype D = import('../cli/d.js').D;";
    const found = imports(file, text);
    expect(found).toEqual([join(SRC, 'metrics', 'types.ts'), join(SRC, 'world', 'b.ts'), join(SRC, 'ope', 'c.ts'), join(SRC, 'cli', 'd.ts')]);
    expect(violations(new Map([[file, found]]))).toEqual(['world/w.ts → cli/d.ts', 'world/w.ts → metrics/types.ts', 'world/w.ts → ope/c.ts']);
    const scenario = join(SRC, 'scenario', 's.ts');
    const named = [join(SRC, 'recommender', 'sources', 'registry.ts'), join(SRC, 'world', 'schema.ts'), join(SRC, 'recommender', 'sources', 'popularity.ts')];
    expect(violations(new Map([[scenario, named]]))).toEqual(['scenario/s.ts → recommender/sources/popularity.ts']);
  });
});
