/*
 * What the layer analysis asks of a go.mod read by golden-path-common's
 * parseGoMod: its module path, how it requires a module, and whether a
 * replacement points at a directory.
 */
import { parseGoMod, type GoMod } from '@golden-path/plugin-golden-path-common';

/** The module path of a go.mod (its `module` directive). */
export function parseGoModModule(src: string): string | undefined {
  return parseGoMod(src).module;
}

/**
 * How go.mod requires `module`: `direct`, only `// indirect` (a dependency
 * of a dependency), or undefined when it does not.
 */
export function goModRequirement(
  goMod: GoMod,
  module: string,
): 'direct' | 'indirect' | undefined {
  const lines = goMod.requires.filter(r => r.path === module);
  if (lines.length === 0) return undefined;
  return lines.some(r => !r.indirect) ? 'direct' : 'indirect';
}

/** Whether a replacement target is a directory, as modfile.IsDirectoryPath decides (Unix and Windows syntax). */
export function isDirectoryPath(target: string): boolean {
  return /^(?:\.{1,2}(?:[/\\]|$)|[/\\]|[A-Za-z]:)/.test(target);
}
