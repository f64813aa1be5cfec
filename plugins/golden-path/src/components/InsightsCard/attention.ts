import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';

/** One thing on the card that needs a person's attention. */
export interface AttentionItem {
  tone: 'warning' | 'danger';
  /** Short label of the chip: `source`, `proto`, `dev`… */
  label: string;
  message: string;
}

function place(p: { path?: string; line?: number }): string {
  if (!p.path) return '';
  return ` (${p.path}${p.line ? `:${p.line}` : ''})`;
}

/**
 * What the card lists under "Needs attention": source files that could not be
 * read (binary, too large, symlink loops, the file limit), proto files that
 * do not parse, and environments whose database cannot be read. Each message
 * is the backend's own, so it says what happened and where.
 */
export function attentionItems(
  insights: GoServiceInsights,
  max = 4,
): { items: AttentionItem[]; more: number } {
  const all: AttentionItem[] = [
    ...insights.migrations.environments
      .filter(env => env.status === 'error')
      .map(env => ({
        tone: 'danger' as const,
        label: env.name,
        message: `database unreachable: ${env.message ?? 'unknown error'}`,
      })),
    ...insights.protos.files
      .filter(f => f.parseError)
      .map(f => ({
        tone: 'danger' as const,
        label: 'proto',
        message: `${f.path} does not parse: ${f.parseError!.message} (line ${
          f.parseError!.line
        })`,
      })),
    ...insights.source.problems.map(p => ({
      tone: 'warning' as const,
      label: 'source',
      message: `${p.message}${place(p)}`,
    })),
  ];
  return { items: all.slice(0, max), more: Math.max(0, all.length - max) };
}
