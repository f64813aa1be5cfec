import { ActionContext } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';

/** How many lines of a diff the task log gets: enough to fix it, not a flood. */
const MAX_LOGGED_LINES = 400;

/**
 * The files a unified diff changes, from its `+++` lines, as absolute paths
 * (relative ones taken from `cwd`): `+++ <path>\t<timestamp>` as buf writes
 * them, or `+++ b/<path>` as git does (`prefixed`; sqlc after withRelativeNames).
 */
export function diffFiles(
  diff: string,
  cwd: string,
  prefixed = false,
): string[] {
  const out = new Set<string>();
  for (const m of diff.matchAll(/^\+\+\+ ([^\t\n]+)/gm)) {
    let name = m[1].trim();
    if (prefixed && name.startsWith('b/')) name = name.slice(2);
    out.add(path.resolve(cwd, name));
  }
  return [...out];
}

/**
 * sqlc's diff with its file names relative to `root` (`a/svc/x.go`, as git
 * writes them) instead of the workspace's host path (`a/tmp/…/svc/x.go`):
 * the step's output and log name no host path.
 */
export function withRelativeNames(diff: string, root: string): string {
  const glued = root.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!glued) return diff;
  return diff
    .split('\n')
    .map(l =>
      /^(---|\+\+\+) [ab]\//.test(l) && l.slice(6).startsWith(`${glued}/`)
        ? l.slice(0, 6) + l.slice(6 + glued.length + 1)
        : l,
    )
    .join('\n');
}

/** `files` (absolute) relative to `root`, `/`-separated; a path outside it keeps only its name. */
export function relativeTo(root: string, files: string[]): string[] {
  return files.map(f => {
    const rel = path.relative(root, f);
    return rel.startsWith('..') || path.isAbsolute(rel)
      ? path.basename(f)
      : rel.split(path.sep).join('/');
  });
}

/** The deepest directory holding every one of `rels` (`/`-separated), '.' for none. */
export function commonDir(rels: string[]): string {
  if (!rels.length) return '.';
  let parts = path.posix.dirname(rels[0]).split('/');
  for (const r of rels.slice(1)) {
    const other = path.posix.dirname(r).split('/');
    let i = 0;
    while (i < parts.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/') || '.';
}

/** "a.go, b.go, c.go, …": the first `max` names, an ellipsis for the rest. */
export function nameList(names: string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, …` : shown;
}

/** `n file` or `n files`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A tool's finding in one line for the step's failure: `what` (the files of
 * `diff`, relative to `root`) and `fix`; the diff itself goes to the task log,
 * where it can be read line by line.
 */
export function summarizeDiff(
  ctx: Pick<ActionContext<any, any>, 'logger'>,
  o: {
    diff: string;
    cwd: string;
    root: string;
    tool: string;
    /** File names as git writes them: `b/<path>`. */
    prefixed?: boolean;
  },
): { dir: string; files: string[]; list: string } {
  const lines = o.diff.split('\n');
  ctx.logger.warn(
    `${o.tool}:\n${lines.slice(0, MAX_LOGGED_LINES).join('\n')}${
      lines.length > MAX_LOGGED_LINES
        ? `\n… ${lines.length - MAX_LOGGED_LINES} more lines`
        : ''
    }`,
  );
  const rels = relativeTo(o.root, diffFiles(o.diff, o.cwd, o.prefixed)).sort();
  const dir = commonDir(rels);
  const names = rels.map(r => (dir === '.' ? r : path.posix.relative(dir, r)));
  return { dir, files: rels, list: nameList(names) };
}

/** The last line of a tool's output that says something, for a one-line failure. */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean)
      .pop() ?? 'no output'
  );
}
