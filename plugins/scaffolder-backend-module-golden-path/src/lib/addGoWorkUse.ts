/**
 * Adds a module directory to the `use` directives of a go.work file's text,
 * keeping its comments and layout; a directory already used is left alone.
 * `dir` is relative to the go.work file, like `./services/order-service`.
 *
 * @public
 */
export function addGoWorkUse(
  goWork: string,
  dir: string,
): { text: string; changed: boolean } {
  const wanted = `./${dir.replace(/^\.\//, '').replace(/\/+$/, '')}`;
  const norm = (d: string) =>
    `./${d
      .trim()
      .replace(/^"|"$/g, '')
      .replace(/^\.\//, '')
      .replace(/\/+$/, '')}`;
  const lines = goWork.split('\n');
  const used: string[] = [];
  let blockEnd = -1;
  let inBlock = false;
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (code === ')') {
        inBlock = false;
        if (blockEnd < 0) blockEnd = i;
      } else if (code) used.push(norm(code));
    } else if (/^use\s*\($/.test(code)) {
      inBlock = true;
    } else if (/^use\s+\S/.test(code)) {
      used.push(norm(code.replace(/^use\s+/, '')));
    }
  });
  if (used.includes(wanted)) return { text: goWork, changed: false };
  if (blockEnd >= 0) {
    lines.splice(blockEnd, 0, `\t${wanted}`);
    return { text: lines.join('\n'), changed: true };
  }
  const text = `${goWork.replace(/\n*$/, '\n')}\nuse ${wanted}\n`;
  return { text, changed: true };
}
