import {
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  Flex,
  Link,
  Skeleton,
  Text,
} from '@backstage/ui';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  isGoServiceEntity,
  type GoServiceInsights,
} from '@golden-path/plugin-golden-path-common';
import { useGoldenPathInsights } from '../../hooks/useGoldenPathInsights';
import {
  InsightsErrorState,
  MissingAnnotationState,
} from '../common/InsightsErrorState';
import { StatusChip } from '../common/StatusChip';
import { LAYER_ORDER, plural } from '../LayersView/layout';
import { attentionItems } from './attention';

function Row(props: { label: string; children: React.ReactNode }) {
  return (
    <Flex direction="column" gap="1" aria-label={props.label}>
      <Text variant="body-small" weight="bold">
        {props.label}
      </Text>
      {props.children}
    </Flex>
  );
}

/** Unreadable source, unparsable protos and unreachable databases, first. */
function NeedsAttention(props: { insights: GoServiceInsights }) {
  const { items, more } = attentionItems(props.insights);
  if (items.length === 0) return null;
  return (
    <Row label="Needs attention">
      <Flex direction="column" gap="1" role="list">
        {items.map((item, i) => (
          <Flex key={i} gap="2" align="start" role="listitem">
            <StatusChip status="error" tone={item.tone} label={item.label} />
            <Text variant="body-small" style={{ overflowWrap: 'anywhere' }}>
              {item.message}
            </Text>
          </Flex>
        ))}
        {more > 0 ? (
          <Text variant="body-small" color="secondary">
            {`and ${more} more on the Architecture tab`}
          </Text>
        ) : null}
      </Flex>
    </Row>
  );
}

/** The one-glance summary of a service's insights. */
export function InsightsSummary(props: { insights: GoServiceInsights }) {
  const { layers, protos, migrations } = props.insights;
  const rpcs = protos.files.reduce(
    (n, f) => n + f.services.reduce((m, s) => m + s.rpcs.length, 0),
    0,
  );
  const services = protos.files.reduce((n, f) => n + f.services.length, 0);
  // notes (an import outside the tree, not analysed) are not problems
  const protoProblems = [
    ...protos.problems,
    ...protos.files.flatMap(f => f.problems),
  ].filter(p => p.severity !== 'info').length;
  const byLayer = new Map(layers.layers.map(l => [l.layer, l]));
  return (
    <Flex direction="column" gap="3">
      <NeedsAttention insights={props.insights} />
      <Row label="Layers">
        <Flex gap="1" style={{ flexWrap: 'wrap' }}>
          {LAYER_ORDER.filter(l => l !== 'cmd').map(l => {
            const packages = byLayer.get(l)?.packages ?? 0;
            // another layout lacks nothing it never claimed
            const missing =
              packages === 0 && layers.followsGoldenPath !== false;
            return (
              <StatusChip
                key={l}
                status={missing ? 'missing' : 'layer'}
                tone={missing ? 'warning' : 'neutral'}
                label={`${l} ${packages}`}
              />
            );
          })}
        </Flex>
        <Text variant="body-small">
          {`${plural(layers.totals.packages, 'package')}, ${plural(
            layers.totals.lines,
            'line',
          )}; `}
          <Text
            as="span"
            variant="body-small"
            color={layers.violations.length > 0 ? 'danger' : 'success'}
          >
            {plural(layers.violations.length, 'dependency-rule violation')}
          </Text>
        </Text>
      </Row>
      <Row label="APIs">
        <Text variant="body-small">
          {`${plural(services, 'service')}, ${plural(rpcs, 'RPC')}; ${plural(
            protoProblems,
            'convention problem',
          )}`}
        </Text>
      </Row>
      <Row label="Migrations">
        <Flex gap="1" align="center" style={{ flexWrap: 'wrap' }}>
          <Text variant="body-small">
            {plural(migrations.files.length, 'migration')}
          </Text>
          <StatusChip
            status={migrations.sum.status}
            label={
              migrations.sum.status === 'none'
                ? 'no atlas.sum'
                : `atlas.sum ${migrations.sum.status}`
            }
          />
          {migrations.environments.map(env => (
            <StatusChip
              key={env.name}
              status={env.status}
              label={`${env.name}: ${
                env.status === 'error' ? 'unreachable' : env.status
              }`}
            />
          ))}
        </Flex>
      </Row>
    </Flex>
  );
}

function CardContent() {
  const { entity } = useEntity();
  const { loading, value, error, refresh } = useGoldenPathInsights(entity);
  if (loading && !value) return <Skeleton width="100%" height={120} />;
  if (error) return <InsightsErrorState error={error} onRetry={refresh} />;
  if (!value) return null;
  return <InsightsSummary insights={value} />;
}

/**
 * The overview card of a Go service: layers, APIs and migrations at a glance,
 * with a link to the Architecture tab.
 *
 * @public
 */
export function InsightsCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const isGoService = isGoServiceEntity(entity);
  return (
    <Card aria-label="Golden Path insights">
      <CardHeader>
        <Text as="h2" variant="title-small">
          Golden Path insights
        </Text>
      </CardHeader>
      <CardBody>
        {isGoService ? <CardContent /> : <MissingAnnotationState />}
      </CardBody>
      {isGoService ? (
        <CardFooter>
          <Link href={`${entityLink(entity)}/architecture`}>
            Open the Architecture tab
          </Link>
        </CardFooter>
      ) : null}
    </Card>
  );
}
