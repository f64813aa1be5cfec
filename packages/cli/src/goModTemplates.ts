/**
 * Turns tidy go.mod/go.sum files of rendered templates back into skeleton
 * templates: module paths become template expressions again, and the lines
 * only one stage (or only services with scheduled jobs) needs are wrapped in
 * `{%- if %}` blocks, so every combination renders a tidy file and `go build`
 * works with the default -mod=readonly.
 */

/** A run of lines: equal in both, only in `a`, only in `b`, or replaced. */
export interface LineOpcode {
  op: 'equal' | 'delete' | 'insert' | 'replace';
  a: string[];
  b: string[];
}

/** Line diff of `a` against `b` along a longest common subsequence. */
export function lineOpcodes(a: string[], b: string[]): LineOpcode[] {
  // common[i][j]: length of the longest common subsequence of a[i:] and b[j:].
  const common = Array.from(
    { length: a.length + 1 },
    () => new Uint32Array(b.length + 1),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i][j] =
        a[i] === b[j]
          ? common[i + 1][j + 1] + 1
          : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const ops: LineOpcode[] = [];
  const push = (op: 'equal' | 'change', line: string, side: 'a' | 'b') => {
    const last = ops[ops.length - 1];
    const kind = op === 'equal' ? 'equal' : 'change';
    if (!last || (last.op === 'equal') !== (kind === 'equal')) {
      ops.push({ op: kind === 'equal' ? 'equal' : 'delete', a: [], b: [] });
    }
    const run = ops[ops.length - 1];
    if (op === 'equal') {
      run.a.push(line);
      run.b.push(line);
    } else {
      run[side].push(line);
      if (run.a.length && run.b.length) run.op = 'replace';
      else run.op = run.a.length ? 'delete' : 'insert';
    }
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push('equal', a[i], 'a');
      i++;
      j++;
    } else if (
      j >= b.length ||
      (i < a.length && common[i + 1][j] >= common[i][j + 1])
    ) {
      push('change', a[i++], 'a');
    } else {
      push('change', b[j++], 'b');
    }
  }
  return ops;
}

const MVP_ONLY = "{%- if values.stage != 'async' %}";
const ASYNC_ONLY = "{%- if values.stage == 'async' %}";
const JOBS_ONLY = '{%- if values.jobs | length %}';
const END = '{%- endif %}';

/**
 * One template from the mvp and the async render of a file: common lines as
 * they are, the others in stage conditions. `{%-` strips the newline before
 * the tag, so each condition must follow a line; `name` names the file in
 * the error when the first lines differ.
 */
export function mergeStages(mvp: string, async: string, name: string): string {
  const out: string[] = [];
  for (const run of lineOpcodes(linesOf(mvp), linesOf(async))) {
    if (run.op === 'equal') {
      out.push(...run.a);
      continue;
    }
    if (!out.length) {
      throw new Error(
        `${name}: the first line differs between the stages, so no condition can precede it; keep the module line common to both`,
      );
    }
    if (run.a.length) out.push(MVP_ONLY, ...run.a, END);
    if (run.b.length) out.push(ASYNC_ONLY, ...run.b, END);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Adds to a merged template the lines of the jobs render that the mvp render
 * lacks, each run of them in a jobs condition after the line preceding it in
 * the jobs render (and after stage blocks sorting before it). The jobs render
 * may only add lines.
 */
export function addJobs(
  merged: string,
  mvp: string,
  jobs: string,
  name: string,
): string {
  const skeleton = linesOf(merged);
  const known = new Set(linesOf(mvp));
  const runs: { anchor: string | undefined; lines: string[] }[] = [];
  let anchor: string | undefined;
  for (const line of linesOf(jobs)) {
    if (known.has(line)) anchor = line;
    else if (runs.length && runs[runs.length - 1].anchor === anchor) {
      runs[runs.length - 1].lines.push(line);
    } else runs.push({ anchor, lines: [line] });
  }
  for (const run of runs) {
    const at = run.anchor === undefined ? -1 : skeleton.indexOf(run.anchor);
    if (at < 0) {
      throw new Error(
        `${name}: the jobs render adds "${run.lines[0]}" where the mvp render has no line before it; render the jobs service from the same values as the mvp one plus jobs`,
      );
    }
    // After the stage blocks that sort before the run; a block sorting
    // partly before it is split, so every combination renders sorted lines.
    const first = run.lines[0].trim();
    let j = at + 1;
    while (
      j < skeleton.length &&
      skeleton[j].startsWith('{%- if values.stage')
    ) {
      const end = skeleton.indexOf(END, j);
      const before = skeleton
        .slice(j + 1, end)
        .findIndex(l => l.trim() >= first);
      if (before === 0) break;
      if (before > 0) {
        skeleton.splice(j + 1 + before, 0, END, skeleton[j]);
        j += before + 2;
        break;
      }
      j = end + 1;
    }
    skeleton.splice(j, 0, JOBS_ONLY, ...run.lines, END);
  }
  return `${skeleton.join('\n')}\n`;
}

/** The lines of a text, as Python's splitlines: no empty last line for a final newline. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.slice(0, -1) : lines;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PKG_EXPR = '${{ values.pkgModule }}';
const PREFIX_EXPR = "${{ values.pkgModule.split('/').slice(0, -1).join('/') }}";
const GO_EXPR = 'go ${{ values.goVersion }}.0';

/** A go.mod/go.sum of the rendered monorepo with its module paths as template expressions. */
export function detemplateMonorepoFile(
  text: string,
  pkgModule: string,
  goVersion: string,
): string {
  const prefix = pkgModule.split('/').slice(0, -1).join('/');
  return text
    .replace(
      new RegExp(`^go ${escapeRegExp(goVersion)}(\\.0)?$`, 'gm'),
      () => GO_EXPR,
    )
    .split(`${prefix}/gateway`)
    .join(`${PREFIX_EXPR}/gateway`)
    .replace(
      new RegExp(`(?<![\\w./-])${escapeRegExp(pkgModule)}(?![\\w.-])`, 'g'),
      () => PKG_EXPR,
    );
}

/**
 * Moves the pkg requirement of the gateway's go.mod into its own require
 * line: inside the sorted block its position would depend on the module path
 * the user typed, while `go mod tidy` leaves a separate require line as it is.
 */
export function isolatePkgRequire(text: string): string {
  const line = `\t${PKG_EXPR} v0.0.0\n`;
  if (!text.includes(line)) return text;
  return text
    .replace(line, () => '')
    .replace(
      '\nrequire (\n',
      () => `\nrequire ${PKG_EXPR} v0.0.0\n\nrequire (\n`,
    );
}

/**
 * A service's go.mod with its module path, go directive and the pkg module
 * (the one its `replace … => ../../pkg` names) as template expressions.
 */
export function detemplateServiceGoMod(
  goMod: string,
  where: string,
): { text: string; pkgModule: string } {
  const module = /^module (\S+)$/m.exec(goMod)?.[1];
  const pkgModule = /^replace (\S+) => \.\.\/\.\.\/pkg$/m.exec(goMod)?.[1];
  if (!module || !pkgModule) {
    throw new Error(
      `${where}: no "module" line or no "replace <pkg module> => ../../pkg" line; give the directory of a service rendered into a monorepo (services/<name>-service)`,
    );
  }
  const text = goMod
    .replace(`module ${module}\n`, () => 'module ${{ values.module }}\n')
    .replace(/^go \d+\.\d+(\.\d+)?$/gm, () => GO_EXPR);
  return { text: text.split(pkgModule).join(PKG_EXPR), pkgModule };
}

/** A service's go.sum with the pkg module path as a template expression. */
export function detemplateServiceGoSum(
  goSum: string,
  pkgModule: string,
): string {
  return goSum.split(pkgModule).join(PKG_EXPR);
}
