import fs from 'node:fs';
import path from 'node:path';
import { RenderError } from './renderTemplate';

const PROTO =
  'skeleton/api/proto/${{ values.protoPkg }}/v1/${{ values.protoPkg }}_service.proto';
const AGGREGATE_PROTO =
  'skeleton-aggregate/api/proto/${{ values.protoPkg }}/v1/${{ values.agg.snake }}_service.proto';
const CATALOG =
  'skeleton/services/${{ values.name }}-service/catalog-info.yaml';
const PRE_START =
  '{#- >>> proto template preamble (golden-path template sync-catalog-proto) -#}\n';
const PRE_END = '{#- <<< proto template preamble -#}\n';
const START = '{% filter indent(4, true) %}';
const AGG_PRE_START =
  "{#- >>> added aggregate's proto template preamble (golden-path template sync-catalog-proto) -#}\n";
const AGG_PRE_END = "{#- <<< added aggregate's proto template preamble #}";
const AGG_START =
  "{% filter indent(4, true) %}{#- added aggregate's proto -#}\n";
const END = '{%- endfilter %}';
const SYNTAX = 'syntax = "proto3";';

function section(
  text: string,
  start: string,
  end: string,
  from: number,
  file: string,
) {
  const a = text.indexOf(start, from);
  const b = a < 0 ? -1 : text.indexOf(end, a + start.length);
  if (a < 0 || b < 0) {
    throw new RenderError(
      `${file} has no ${JSON.stringify(start)} … ${JSON.stringify(
        end,
      )} section: restore the markers the proto template is embedded between`,
    );
  }
  return [a + start.length, b];
}

/**
 * The Go service template's catalog-info.yaml with the current proto template
 * embedded: for a local publish the catalog reads catalog-info.yaml from a
 * file location, where `$text` placeholders cannot be resolved, so the API
 * definition is rendered inline from the same template text as the .proto
 * file. Macros cannot be declared inside a filter block, so the proto
 * template's preamble (checks, macros, sets) goes to the top of
 * catalog-info.yaml and its body (from `syntax`) into the indented definition.
 */
export function embedProtoInCatalog(
  proto: string,
  catalog: string,
  catalogFile = CATALOG,
): string {
  const split = proto.indexOf(SYNTAX);
  if (split < 0)
    throw new RenderError(`${PROTO} has no line starting with ${SYNTAX}`);
  const preamble = proto.slice(0, split).replace(/\n+$/, '');
  const body = proto.slice(split).replace(/\n+$/, '');
  const [p1, p2] = section(catalog, PRE_START, PRE_END, 0, catalogFile);
  const withPreamble = `${catalog.slice(0, p1)}${preamble}\n${catalog.slice(
    p2,
  )}`;
  const [a, b] = section(withPreamble, START, END, 0, catalogFile);
  return `${withPreamble.slice(0, a)}${body}\n${withPreamble.slice(b)}`;
}

/**
 * The catalog-info.yaml with the proto template of an added aggregate
 * (skeleton-aggregate) embedded in the API entity its loop over
 * values.aggregates writes: the preamble (names, macros) at the top of the
 * loop's body, where the loop's aggregate is g, and the body (from `syntax`)
 * into the indented definition.
 */
export function embedAggregateProtoInCatalog(
  proto: string,
  catalog: string,
  catalogFile = CATALOG,
): string {
  const split = proto.indexOf(SYNTAX);
  if (split < 0)
    throw new RenderError(
      `${AGGREGATE_PROTO} has no line starting with ${SYNTAX}`,
    );
  const preamble = proto.slice(0, split).replace(/\n+$/, '');
  const body = proto.slice(split).replace(/\n+$/, '');
  const [p1, p2] = section(catalog, AGG_PRE_START, AGG_PRE_END, 0, catalogFile);
  const withPreamble = `${catalog.slice(0, p1)}${preamble}\n${catalog.slice(
    p2,
  )}`;
  const [a, b] = section(withPreamble, AGG_START, END, 0, catalogFile);
  return `${withPreamble.slice(0, a)}${body}\n${withPreamble.slice(b)}`;
}

/**
 * Embeds the proto templates of the Go service template (its service's, and
 * an added aggregate's) in its catalog-info.yaml; with `check`, only reports whether it is embedded.
 * Returns whether the file is (check) or was already (write) in sync.
 */
export function syncCatalogProto(
  templateDir: string,
  options: { check?: boolean } = {},
): boolean {
  const protoFile = path.join(templateDir, PROTO);
  const aggregateFile = path.join(templateDir, AGGREGATE_PROTO);
  const catalogFile = path.join(templateDir, CATALOG);
  for (const file of [protoFile, aggregateFile, catalogFile]) {
    if (!fs.existsSync(file))
      throw new RenderError(
        `${file} does not exist: give the Go service template's directory (templates/go-service)`,
      );
  }
  const catalog = fs.readFileSync(catalogFile, 'utf8');
  const wanted = embedAggregateProtoInCatalog(
    fs.readFileSync(aggregateFile, 'utf8'),
    embedProtoInCatalog(
      fs.readFileSync(protoFile, 'utf8'),
      catalog,
      catalogFile,
    ),
    catalogFile,
  );
  if (wanted === catalog) return true;
  if (!options.check) fs.writeFileSync(catalogFile, wanted);
  return false;
}
