/**
 * A browser link to a file of the analysed source, when the source is a URL
 * location (`url:https://github.com/acme/shop/tree/main/`): the location, the
 * path relative to it and `#L<line>`. Local `dir:` sources get no link.
 */
export function sourceFileUrl(
  location: string,
  path: string,
  line?: number,
): string | undefined {
  if (!location.startsWith('url:')) return undefined;
  let base: URL;
  try {
    base = new URL(location.slice('url:'.length));
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const url = new URL(path.split('/').map(encodeURIComponent).join('/'), base);
  if (line) url.hash = `L${line}`;
  return url.toString();
}
