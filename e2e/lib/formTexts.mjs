// The texts a scaffolder form shows for a template step: every `description`
// (rendered as Markdown by the scaffolder) and `ui:help` (plain text) of the
// fields the form data makes visible, as a reader should see them.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';

const normalize = text => text.replace(/\s+/g, ' ').trim();

/**
 * Markdown as its text should read once rendered: inline code and emphasis
 * reduced to their text, raw HTML kept as written (a `<name>` the renderer
 * drops is a lost placeholder), paragraphs separated by a space.
 */
export function markdownText(markdown) {
  return normalize(
    markdown
      .split(/\n\s*\n/)
      .map(paragraph =>
        toString(fromMarkdown(paragraph), { includeHtml: true }),
      )
      .join(' '),
  );
}

function branchMatches(branch, key, value) {
  const prop = branch?.properties?.[key];
  if (!prop) return false;
  if ('const' in prop) return prop.const === value;
  if (Array.isArray(prop.enum)) return prop.enum.includes(value);
  return false;
}

/**
 * The description and ui:help texts of a JSON schema (a template step) that
 * the form shows for `data`: properties, the oneOf branch of a dependency that
 * the data selects, and the items of a non-empty array (checked once).
 * Each: { where, kind: 'description' | 'ui:help', text, expected }.
 */
export function formTexts(schema, data, where = '', out = []) {
  if (!schema || typeof schema !== 'object') return out;
  if (schema['ui:widget'] === 'hidden') return out;
  if (typeof schema.description === 'string') {
    out.push({
      where: where || '(step)',
      kind: 'description',
      text: schema.description,
      expected: markdownText(schema.description),
    });
  }
  if (typeof schema['ui:help'] === 'string') {
    out.push({
      where,
      kind: 'ui:help',
      text: schema['ui:help'],
      expected: normalize(schema['ui:help']),
    });
  }
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    formTexts(prop, data?.[key], where ? `${where}.${key}` : key, out);
  }
  for (const [key, dependency] of Object.entries(schema.dependencies ?? {})) {
    for (const branch of dependency?.oneOf ?? []) {
      if (!branchMatches(branch, key, data?.[key])) continue;
      for (const [k, prop] of Object.entries(branch.properties ?? {})) {
        if (k !== key)
          formTexts(prop, data?.[k], where ? `${where}.${k}` : k, out);
      }
    }
  }
  if (schema.items && Array.isArray(data) && data.length > 0) {
    formTexts(schema.items, data[0], `${where}[0]`, out);
  }
  return out;
}

export { normalize };
