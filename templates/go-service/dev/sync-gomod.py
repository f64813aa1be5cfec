#!/usr/bin/env python3
"""Writes the skeleton's go.mod/go.sum from tidy files of rendered services.

Usage: dev/sync-gomod.py MVP_SERVICE_DIR [ASYNC_SERVICE_DIR] [--jobs MVP_JOBS_SERVICE_DIR]

Render a service for each stage (dev/render.mjs), run `go mod tidy` in it,
then run this script: it replaces the service module path and the pkg module
path with their template variables and, when an async render is given, wraps
the lines only one stage needs in {% if %} blocks, so every stage renders a
tidy go.mod (builds use the default -mod=readonly). With --jobs (an mvp
service rendered with jobs), the lines only scheduled jobs need (Redis, cron)
are wrapped in {% if values.jobs | length %} blocks; they must be additions.
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


def add_jobs(merged: str, mvp: str, jobs: str) -> str:
    """Inserts the lines of the jobs render that the mvp render lacks, each run
    of them in a jobs condition after the line that precedes it in the jobs
    render (and after a stage block sorting before it)."""
    skel, known = merged.splitlines(), set(mvp.splitlines())
    runs, prev = [], None
    for line in jobs.splitlines():
        if line in known:
            prev = line
        elif runs and runs[-1][0] == prev:
            runs[-1][1].append(line)
        else:
            runs.append((prev, [line]))
    for anchor, lines in runs:
        j = skel.index(anchor) + 1
        while j < len(skel) and skel[j].startswith('{%- if values.stage'):
            end = skel.index('{%- endif %}', j)
            if not all(b.strip() < lines[0].strip() for b in skel[j + 1:end]):
                break
            j = end + 1
        skel[j:j] = ['{%- if values.jobs | length %}', *lines, '{%- endif %}']
    return '\n'.join(skel) + '\n'


def main() -> None:
    args = sys.argv[1:]
    jobs_dir = None
    if '--jobs' in args:
        i = args.index('--jobs')
        jobs_dir = Path(args[i + 1])
        del args[i:i + 2]
    base_mod, base_sum = read(Path(args[0]))
    mvp_mod, mvp_sum = base_mod, base_sum
    if len(args) > 1:
        async_mod, async_sum = read(Path(args[1]))
        mvp_mod, mvp_sum = merge(mvp_mod, async_mod), merge(mvp_sum, async_sum)
    if jobs_dir:
        jobs_mod, jobs_sum = read(jobs_dir)
        mvp_mod, mvp_sum = add_jobs(mvp_mod, base_mod, jobs_mod), add_jobs(mvp_sum, base_sum, jobs_sum)
    (SKELETON / 'go.mod').write_text(mvp_mod)
    (SKELETON / 'go.sum').write_text(mvp_sum)
    print(f'wrote {SKELETON}/go.mod and go.sum')


if __name__ == '__main__':
    main()
