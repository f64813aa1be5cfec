#!/usr/bin/env python3
"""Embeds the proto template into the service's catalog-info.yaml template.

For a local publish the catalog reads catalog-info.yaml from a file location,
where `$text` placeholders cannot be resolved, so the API definition is
rendered inline from the same template text as the .proto file. Run this after
changing the proto template; `--check` (dev/check.sh) fails when they differ.
"""
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent / 'skeleton'
proto = root / 'api/proto/${{ values.protoPkg }}/v1/${{ values.protoPkg }}_service.proto'
catalog = root / 'services/${{ values.name }}-service/catalog-info.yaml'
START = '{% filter indent(4, true) %}'
END = '{%- endfilter %}'
PRE_START = '{#- >>> proto template preamble (dev/sync-catalog-proto.py) -#}\n'
PRE_END = '{#- <<< proto template preamble -#}\n'

# Macros cannot be declared inside a filter block: the proto template's
# preamble (checks, macros, sets) goes to the top of catalog-info.yaml, its
# body (from `syntax`) into the indented definition.
source = proto.read_text()
split = source.index('syntax = "proto3";')
preamble, body = source[:split], source[split:]
text = catalog.read_text()
p1 = text.index(PRE_START) + len(PRE_START)
p2 = text.index(PRE_END, p1)
text2 = text[:p1] + preamble.rstrip('\n') + '\n' + text[p2:]
a = text2.index(START) + len(START)
b = text2.index(END, a)
wanted = text2[:a] + body.rstrip('\n') + '\n' + text2[b:]
if '--check' in sys.argv:
    if wanted != text:
        sys.exit('catalog-info.yaml does not embed the current proto template: run dev/sync-catalog-proto.py')
else:
    catalog.write_text(wanted)
    print(f'embedded {proto.name} into {catalog}')
