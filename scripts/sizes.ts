// The largest source files and the longest functions of a tree (tests left out), for notes on
// the shape of the code: `npx tsx scripts/sizes.ts [DIR] [N]` (DIR defaults to apps/server/src,
// N to 10). A function's length is its lines from the line it starts on to the line it ends on,
// inner functions included (a route-registering function counts every route it declares).
// To measure an earlier commit: `git archive REV apps/server/src | tar -x -C /tmp/before` and
// `npx tsx scripts/sizes.ts /tmp/before/apps/server/src`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = process.argv[2] ?? 'apps/server/src';
const most = Number(process.argv[3] ?? 10);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** A readable name for a function: its own, or what it is assigned to or passed as. */
function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.name
  )
    return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(source);
  if (ts.isCallExpression(parent)) {
    // A route handler or a callback: name it by the call and its first argument when that is a string.
    const callee = ts.isPropertyAccessExpression(parent.expression)
      ? `…${parent.expression.name.text}`
      : (parent.expression.getText(source).split('\n')[0] ?? '');
    const first = parent.arguments[0];
    const label = first && ts.isStringLiteralLike(first) ? ` ${first.text}` : '';
    return `(callback of ${callee.slice(0, 40)}${label})`;
  }
  return '(anonymous)';
}

const files: { path: string; lines: number }[] = [];
const functions: { name: string; path: string; line: number; lines: number }[] = [];
for (const path of sourceFiles(root)) {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const shown = relative(root, path);
  files.push({
    path: shown,
    lines: source.getLineAndCharacterOfPosition(text.length).line + (text.endsWith('\n') ? 0 : 1),
  });
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      functions.push({ name: nameOf(node, source), path: shown, line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

files.sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));
functions.sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));
console.log(
  `${root}: ${files.length} files, ${files.reduce((s, f) => s + f.lines, 0)} lines (tests left out)`,
);
console.log(`\nLargest files (lines)`);
for (const f of files.slice(0, most)) console.log(`${String(f.lines).padStart(6)}  ${f.path}`);
console.log(`\nLongest functions (lines, inner functions included)`);
for (const f of functions.slice(0, most))
  console.log(`${String(f.lines).padStart(6)}  ${f.name}  ${f.path}:${f.line}`);
