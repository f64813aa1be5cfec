import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embedProtoInCatalog, syncCatalogProto } from './syncCatalogProto';

const goService = path.resolve(__dirname, '../../../templates/go-service');
const catalog = [
  '{#- >>> proto template preamble (golden-path template sync-catalog-proto) -#}',
  'old preamble',
  '{#- <<< proto template preamble -#}',
  'definition: |',
  '{% filter indent(4, true) %}old body',
  '{%- endfilter %}',
  '',
].join('\n');

describe('syncCatalogProto', () => {
  it("finds the Go service template's catalog-info.yaml in sync with its proto template", () => {
    expect(syncCatalogProto(goService, { check: true })).toBe(true);
  });

  it('puts the preamble at the top and the body from syntax into the filter block', () => {
    const proto = '{%- set x = 1 %}\n\nsyntax = "proto3";\npackage a.v1;\n\n';
    expect(embedProtoInCatalog(proto, catalog)).toBe(
      catalog
        .replace('old preamble', '{%- set x = 1 %}')
        .replace('old body', 'syntax = "proto3";\npackage a.v1;'),
    );
  });

  it('writes the file when the proto template changed, and check reports it first', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-catalog-proto-'));
    try {
      fs.cpSync(path.join(goService, 'skeleton'), path.join(tmp, 'skeleton'), {
        recursive: true,
      });
      const proto = path.join(
        tmp,
        'skeleton/api/proto/${{ values.protoPkg }}/v1/${{ values.protoPkg }}_service.proto',
      );
      fs.appendFileSync(proto, '// a new line\n');
      expect(syncCatalogProto(tmp, { check: true })).toBe(false);
      expect(syncCatalogProto(tmp)).toBe(false);
      expect(syncCatalogProto(tmp, { check: true })).toBe(true);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('bad input: sync-catalog-proto', () => {
  it('names the missing markers', () => {
    expect(() =>
      embedProtoInCatalog('syntax = "proto3";\n', 'no markers\n', 'c.yaml'),
    ).toThrow('c.yaml has no "{#- >>> proto template preamble');
  });

  it('refuses a directory that is not the Go service template', () => {
    expect(() => syncCatalogProto(os.tmpdir())).toThrow(
      "give the Go service template's directory (templates/go-service)",
    );
  });
});
