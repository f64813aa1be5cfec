#!/usr/bin/env python3
"""Writes the skeleton's go.mod/go.sum from tidy files of rendered services.

Usage: dev/sync-gomod.py MVP_SERVICE_DIR [ASYNC_SERVICE_DIR]

Render a service for each stage (dev/render.mjs), run `go mod tidy` in it,
then run this script: it replaces the service module path and the pkg module
path with their template variables and, when an async render is given, wraps
the lines only one stage needs in {% if %} blocks, so every stage renders a
tidy go.mod (builds use the default -mod=readonly).
"""
import re
import sys
from pathlib import Path

SKELETON = Path(__file__).resolve().parent.parent / 'skeleton' / 'services' / '${{ values.name }}-service'


def templated(text: str, module: str, pkg: str) -> str:
    text = text.replace(f'module {module}\n', 'module ${{ values.module }}\n')
    text = re.sub(r'^go \d+\.\d+(\.\d+)?$', 'go ${{ values.goVersion }}.0', text, flags=re.M)
    return text.replace(pkg, '${{ values.pkgModule }}')


def read(svc: Path):
    gomod = (svc / 'go.mod').read_text()
    module = re.search(r'^module (\S+)', gomod, re.M).group(1)
    pkg = re.search(r'^replace (\S+) => \.\./\.\./pkg', gomod, re.M).group(1)
    return templated(gomod, module, pkg), (svc / 'go.sum').read_text()


def merge(mvp: str, async_: str) -> str:
    """Line-level merge of two go.mod/go.sum texts with stage conditions."""
    a, b = mvp.splitlines(), async_.splitlines()
    out, i, j = [], 0, 0
    import difflib
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == 'equal':
            out += a[i1:i2]
            continue
        if i2 > i1:
            out.append("{%- if values.stage != 'async' %}")
            out += a[i1:i2]
            out.append('{%- endif %}')
        if j2 > j1:
            out.append("{%- if values.stage == 'async' %}")
            out += b[j1:j2]
            out.append('{%- endif %}')
    # {%- strips the newline before the tag, so each tag sits at the end of the previous line.
    text = '\n'.join(out) + '\n'
    return text


def main() -> None:
    mvp_mod, mvp_sum = read(Path(sys.argv[1]))
    if len(sys.argv) > 2:
        async_mod, async_sum = read(Path(sys.argv[2]))
        mvp_mod, mvp_sum = merge(mvp_mod, async_mod), merge(mvp_sum, async_sum)
    (SKELETON / 'go.mod').write_text(mvp_mod)
    (SKELETON / 'go.sum').write_text(mvp_sum)
    print(f'wrote {SKELETON}/go.mod and go.sum')


if __name__ == '__main__':
    main()
