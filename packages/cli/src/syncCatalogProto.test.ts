import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  embedAggregateProtoInCatalog,
  embedProtoInCatalog,
  syncCatalogProto,
} from './syncCatalogProto';

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

  it("puts an added aggregate's preamble at the top of its loop and its body into its API entity's filter block", () => {
    const withAggregate = [
      catalog.trimEnd(),
      '{%- for g in values.aggregates %}',
      "{#- >>> added aggregate's proto template preamble (golden-path template sync-catalog-proto) -#}",
      'old aggregate preamble',
      "{#- <<< added aggregate's proto template preamble #}",
      'definition: |',
      "{% filter indent(4, true) %}{#- added aggregate's proto -#}",
      'old aggregate body',
      '{%- endfilter %}',
      '{%- endfor %}',
      '',
    ].join('\n');
    const proto = '{%- set GA = g.name %}\nsyntax = "proto3";\nservice X {}\n';
    expect(embedAggregateProtoInCatalog(proto, withAggregate)).toBe(
      withAggregate
        .replace('old aggregate preamble', '{%- set GA = g.name %}')
        .replace('old aggregate body', 'syntax = "proto3";\nservice X {}'),
    );
    expect(embedAggregateProtoInCatalog(proto, withAggregate)).toContain(
      'old preamble',
    );
  });

  it('writes the file when the proto template changed, and check reports it first', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-catalog-proto-'));
    try {
      for (const part of ['skeleton', 'skeleton-aggregate'])
        fs.cpSync(path.join(goService, part), path.join(tmp, part), {
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
      // The added aggregate's proto template too.
      fs.appendFileSync(
        path.join(
          tmp,
          'skeleton-aggregate/api/proto/${{ values.protoPkg }}/v1/${{ values.agg.snake }}_service.proto',
        ),
        '// an aggregate line\n',
      );
      expect(syncCatalogProto(tmp, { check: true })).toBe(false);
      expect(syncCatalogProto(tmp)).toBe(false);
      const written = fs.readFileSync(
        path.join(
          tmp,
          'skeleton/services/${{ values.name }}-service/catalog-info.yaml',
        ),
        'utf8',
      );
      // In the added aggregate's API entity, at the end of its proto body.
      expect(written).toContain('// an aggregate line\n{%- endfilter %}');
      expect(written.indexOf('// an aggregate line')).toBeGreaterThan(
        written.indexOf("{#- added aggregate's proto -#}"),
      );
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
