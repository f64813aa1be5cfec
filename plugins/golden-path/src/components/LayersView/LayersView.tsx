import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Cell,
  CellText,
  Flex,
  Link,
  Table,
  Text,
  type ColumnConfig,
} from '@backstage/ui';
import type {
  DependencyViolation,
  GoPackageInsight,
  LayersInsight,
} from '@golden-path/plugin-golden-path-common';
import { sourceFileUrl } from '../common/sourceLink';
import { ProblemList } from '../common/ProblemList';
import { Section } from '../common/Section';
import { LayerDiagram } from './LayerDiagram';
import { REQUIRED_LAYERS, countsText, plural, ruleSourceText } from './layout';

type ViolationRow = DependencyViolation & { id: number; href?: string };
type PackageRow = GoPackageInsight & { id: string };

function layerText(layer: string, sublayer?: string): string {
  return sublayer ? `${layer} / ${sublayer}` : layer;
}

const violationColumns: ColumnConfig<ViolationRow>[] = [
  {
    id: 'place',
    label: 'File',
    isRowHeader: true,
    cell: v => (
      <Cell>
        {v.href ? (
          <Link
            href={v.href}
            target="_blank"
            rel="noopener noreferrer"
            variant="body-small"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {`${v.path}:${v.line}`}
          </Link>
        ) : (
          <Text
            variant="body-small"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {`${v.path}:${v.line}`}
          </Text>
        )}
      </Cell>
    ),
  },
  {
    id: 'from',
    label: 'From',
    cell: v => (
      <CellText
        title={layerText(v.fromLayer, v.fromSublayer)}
        description={v.fromPackage}
      />
    ),
  },
  {
    id: 'to',
    label: 'Imports',
    cell: v => (
      <CellText
        title={layerText(v.toLayer, v.toSublayer)}
        description={v.toPackage}
      />
    ),
  },
  {
    id: 'rule',
    label: 'Rule broken',
    cell: v => (
      <Cell>
        <Text variant="body-small" color="danger">
          {v.rule}
        </Text>
      </Cell>
    ),
  },
];

const packageColumns: ColumnConfig<PackageRow>[] = [
  {
    id: 'dir',
    label: 'Package',
    isRowHeader: true,
    cell: p => <CellText title={p.dir || '.'} description={p.name} />,
  },
  {
    id: 'layer',
    label: 'Layer',
    cell: p => <CellText title={layerText(p.layer, p.sublayer)} />,
  },
  {
    id: 'size',
    label: 'Size',
    cell: p => (
      <CellText
        title={`${plural(p.files, 'file')} · ${plural(p.lines, 'line')}`}
        description={`${p.testFiles} test files`}
      />
    ),
  },
  {
    id: 'di',
    label: 'di.go',
    cell: p => <CellText title={p.hasDi ? 'yes' : '—'} />,
  },
  {
    id: 'imports',
    label: 'Imports in the service',
    cell: p => <CellText title={String(p.internalImports.length)} />,
  },
];

/** The layers part of the Architecture tab. */
export function LayersView(props: {
  layers: LayersInsight;
  location?: string;
}) {
  const { layers, location } = props;
  const foreign = layers.followsGoldenPath === false;
  // a service of another layout lacks nothing it never claimed
  const missing = foreign
    ? []
    : REQUIRED_LAYERS.filter(
        l => !layers.layers.some(s => s.layer === l && s.packages > 0),
      );
  const rows = layers.violations.map((v, id) => ({
    ...v,
    id,
    href: location ? sourceFileUrl(location, v.path, v.line) : undefined,
  }));
  const packages = [...layers.packages]
    .sort((a, b) => a.dir.localeCompare(b.dir))
    .map(p => ({ ...p, id: p.dir }));
  return (
    <Section
      title="Layers"
      subtitle={
        <>
          {countsText(layers.totals)} · {layers.totals.testFiles} test files
          {layers.serviceImportPath ? ` · ${layers.serviceImportPath}` : ''}
        </>
      }
    >
      <Flex direction="column" gap="2">
        <Text variant="body-small" color="secondary">
          Outer layers on the left, the domain on the right. Grey arrows show
          the allowed direction of imports; red arrows are imports that break
          the dependency rule.
        </Text>
        <div style={{ overflowX: 'auto' }}>
          <LayerDiagram layers={layers.layers} violations={layers.violations} />
        </div>
      </Flex>

      {foreign ? (
        <Text variant="body-small" aria-label="layout">
          This service does not follow the golden-path layout: the layers above
          are the ones its folder names show (domain, entity, usecase,
          handler…), and the dependency rule is checked between them.
        </Text>
      ) : null}
      {missing.length > 0 ? (
        <Text variant="body-small" color="warning">
          {`Missing ${
            missing.length === 1 ? 'layer' : 'layers'
          }: ${missing.join(', ')}`}
        </Text>
      ) : null}

      <Flex direction="column" gap="2">
        <Text as="h3" variant="title-x-small">
          {layers.violations.length === 0
            ? 'Dependency rule: no violations'
            : `Dependency-rule violations (${layers.violations.length})`}
        </Text>
        {layers.dependencyRule ? (
          <Text
            variant="body-small"
            color="secondary"
            aria-label="dependency rule source"
          >
            {ruleSourceText(layers.dependencyRule)}
          </Text>
        ) : null}
        {rows.length > 0 ? (
          <Table
            columnConfig={violationColumns}
            data={rows}
            pagination={{ type: 'none' }}
          />
        ) : null}
      </Flex>

      {packages.length > 0 ? (
        <Accordion>
          <AccordionTrigger title={`Packages (${packages.length})`} />
          <AccordionPanel>
            <Table
              columnConfig={packageColumns}
              data={packages}
              pagination={{ type: 'none' }}
            />
          </AccordionPanel>
        </Accordion>
      ) : null}

      <Flex direction="column" gap="2">
        <Text as="h3" variant="title-x-small">
          Layout problems
        </Text>
        <ProblemList
          label="Layout problems"
          problems={layers.problems}
          emptyText={
            foreign
              ? 'No layout problems.'
              : 'The layout follows the golden path.'
          }
        />
      </Flex>
    </Section>
  );
}
