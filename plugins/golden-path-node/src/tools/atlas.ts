import { UnsafeToolConfigError, Violation } from './violations';

const EXECUTING_HCL = [
  { pattern: /\bdata\s+"external"/, key: 'data "external"' },
  { pattern: /\bdata\s+"external_schema"/, key: 'data "external_schema"' },
  { pattern: /\bexternal_schema\b/, key: 'external_schema' },
  { pattern: /\bruntimevar\b/, key: 'runtimevar' },
  { pattern: /\bgetenv\s*\(/, key: 'getenv()' },
  { pattern: /\bexec\b/, key: 'exec' },
  { pattern: /\bprogram\s*=/, key: 'program' },
  { pattern: /\bdata\s+"remote_dir"/, key: 'data "remote_dir"' },
];

/**
 * Refuses an atlas.hcl whose evaluation would run a program, read the
 * environment or reach a remote service. The actions pass every URL and
 * directory as flags, so a plain env block is all a template needs.
 */
export function checkAtlasHcl(text: string, file = 'atlas.hcl'): void {
  const lines = text.split('\n');
  for (const { pattern, key } of EXECUTING_HCL) {
    const index = lines.findIndex(l => pattern.test(l.replace(/(#|\/\/).*$/, '')));
    if (index >= 0) {
      throw new UnsafeToolConfigError(
        `${file}:${index + 1}: ${key} is refused: it runs a program or reads outside the workspace`,
      );
    }
  }
}

/** A migration file of `atlas migrate lint --format '{{ json .Files }}'`. */
interface AtlasLintFile {
  Name?: string;
  Error?: string;
  Reports?: { Text?: string; Diagnostics?: { Pos?: number; Text?: string; Code?: string }[] }[];
}

/** Parses atlas lint JSON into violations (line from the byte position). */
export function parseAtlasLint(output: string, readFile: (name: string) => string | undefined): Violation[] {
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
    if (f.Error) violations.push({ path: name, line: 0, column: 0, rule: 'error', message: f.Error });
    const content = readFile(name) ?? '';
    for (const r of f.Reports ?? []) {
      for (const d of r.Diagnostics ?? []) {
        const before = content.slice(0, d.Pos ?? 0);
        const line = before.split('\n').length;
        const column = (d.Pos ?? 0) - before.lastIndexOf('\n');
        violations.push({ path: name, line, column, rule: d.Code ?? 'lint', message: `${r.Text ?? ''}: ${d.Text ?? ''}` });
      }
    }
  }
  return violations;
}
