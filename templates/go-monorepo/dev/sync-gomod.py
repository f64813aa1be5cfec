#!/usr/bin/env python3
"""Regenerates the go.mod/go.sum templates of pkg/ and gateway/ from `go mod tidy`.

The two stages need different dependency sets (async adds go-redis, gobreaker,
amqp091-go, ...), and both must render to tidy files so `go build` works with
the default -mod=readonly. This script renders the skeleton for values/mvp.json
and values/async.json, runs `go mod tidy` in each module, turns the module paths
back into template expressions and merges the two results line by line into one
template with `{%- if values.stage == 'async' %}` blocks.

Run after changing imports or versions:  python3 dev/sync-gomod.py
(needs go, node and nunjucks; see dev/render.mjs).
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.dirname(HERE)
NODE = os.environ.get("NODE", "/work/main/.tools/node/bin/node")
FILES = ["pkg/go.mod", "pkg/go.sum", "gateway/go.mod", "gateway/go.sum"]
PKG_EXPR = "${{ values.pkgModule }}"
PREFIX_EXPR = "${{ values.pkgModule.split('/').slice(0, -1).join('/') }}"


def run(cmd, cwd):
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} in {cwd} failed:\n{res.stdout}{res.stderr}")


def render(stage_file, out):
    run([NODE, os.path.join(HERE, "render.mjs"), "--values", os.path.join(TEMPLATE, "values", stage_file), "--out", out], TEMPLATE)
    # Generated proto code belongs to the pkg module: generate it before tidying.
    run(["buf", "generate"], os.path.join(out, "api/proto"))
    for mod in ("pkg", "gateway"):
        run(["go", "mod", "tidy"], os.path.join(out, mod))


def detemplate(text, pkg_module, go_version):
    prefix = pkg_module.rsplit("/", 1)[0]
    text = re.sub(r"^go " + re.escape(go_version) + r"(\.0)?$", "go ${{ values.goVersion }}.0", text, flags=re.M)
    text = text.replace(prefix + "/gateway", PREFIX_EXPR + "/gateway")
    return re.sub(r"(?<![\w./-])" + re.escape(pkg_module) + r"(?![\w.-])", PKG_EXPR, text)


def isolate_pkg_require(text):
    """Moves the pkg requirement into its own require line: inside the sorted
    block its position would depend on the module path the user typed, while
    `go mod tidy` leaves a separate require line where it is."""
    line = "\t" + PKG_EXPR + " v0.0.0\n"
    if line not in text:
        return text
    text = text.replace(line, "", 1)
    return text.replace("\nrequire (\n", "\nrequire " + PKG_EXPR + " v0.0.0\n\nrequire (\n", 1)


def merge(mvp, asy, name):
    a, b = mvp.splitlines(), asy.splitlines()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if not out:
            sys.exit(f"{name}: first line differs between stages; cannot place a conditional before it")
        if op in ("delete", "replace"):
            out += ["{%- if values.stage != 'async' %}", *a[i1:i2], "{%- endif %}"]
        if op in ("insert", "replace"):
            out += ["{%- if values.stage == 'async' %}", *b[j1:j2], "{%- endif %}"]
    return "\n".join(out) + "\n"


def main():
    tmp = tempfile.mkdtemp(prefix="gp-mono-sync-")
    try:
        results = {}
        for stage_file in ("mvp.json", "async.json"):
            values = json.load(open(os.path.join(TEMPLATE, "values", stage_file)))
            out = os.path.join(tmp, stage_file[:-5])
            render(stage_file, out)
            results[values["stage"]] = {
                f: detemplate(open(os.path.join(out, f)).read(), values["pkgModule"], values["goVersion"]) for f in FILES
            }
            results[values["stage"]]["gateway/go.mod"] = isolate_pkg_require(results[values["stage"]]["gateway/go.mod"])
        for f in FILES:
            merged = merge(results["mvp"][f], results["async"][f], f)
            with open(os.path.join(TEMPLATE, "skeleton", f), "w") as fh:
                fh.write(merged)
            print(f"wrote skeleton/{f}")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
