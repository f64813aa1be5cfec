import { Violation } from './violations';

/** A migration file of `atlas migrate lint --format '{{ json .Files }}'`. */
interface AtlasLintFile {
  Name?: string;
  Error?: string;
  Reports?: {
    Text?: string;
    Diagnostics?: { Pos?: number; Text?: string; Code?: string }[];
  }[];
}

/**
 * Parses atlas lint JSON into violations (line from the byte position).
 *
 * @public
 */
export function parseAtlasLint(
  output: string,
  readFile: (name: string) => string | undefined,
): Violation[] {
  const start = output.indexOf('[');
  if (start < 0) return [];
  let files: AtlasLintFile[];
  try {
    files = JSON.parse(output.slice(start));
  } catch {
    return [];
  }
  const violations: Violation[] = [];
  for (const f of files ?? []) {
    const name = f.Name ?? '';
    if (f.Error)
      violations.push({
        path: name,
        line: 0,
        column: 0,
        rule: 'error',
        message: f.Error,
      });
    const content = readFile(name) ?? '';
    for (const r of f.Reports ?? []) {
      for (const d of r.Diagnostics ?? []) {
        const before = content.slice(0, d.Pos ?? 0);
        const line = before.split('\n').length;
        const column = (d.Pos ?? 0) - before.lastIndexOf('\n');
        violations.push({
          path: name,
          line,
          column,
          rule: d.Code ?? 'lint',
          message: `${r.Text ?? ''}: ${d.Text ?? ''}`,
        });
      }
    }
  }
  return violations;
}
