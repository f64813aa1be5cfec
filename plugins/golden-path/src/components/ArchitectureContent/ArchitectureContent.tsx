import { Alert, Button, Flex, Skeleton, Text } from '@backstage/ui';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isGoServiceEntity } from '@golden-path/plugin-golden-path-common';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import {
  useGoldenPathInsights,
  type InsightsState,
} from '../../hooks/useGoldenPathInsights';
import {
  InsightsErrorState,
  MissingAnnotationState,
} from '../common/InsightsErrorState';
import { CallsView } from '../CallsView/CallsView';
import { ProblemList } from '../common/ProblemList';
import { LayersView } from '../LayersView/LayersView';
import { MigrationsView } from '../MigrationsView/MigrationsView';
import { ProtoBrowser } from '../ProtoBrowser/ProtoBrowser';

function SourceHeader(props: {
  insights: GoServiceInsights;
  onRefresh: () => void;
}) {
  const { source, generatedAt } = props.insights;
  return (
    <Flex justify="between" align="center" style={{ flexWrap: 'wrap' }}>
      <Flex direction="column" gap="0.5">
        <Text variant="body-small" color="secondary">
          {`${source.serviceDir} in ${source.location}${
            source.revision ? ` @ ${source.revision}` : ''
          } · ${source.fileCount} files read · analysed ${new Date(
            generatedAt,
          ).toLocaleString()}`}
        </Text>
      </Flex>
      <Button size="small" variant="secondary" onPress={props.onRefresh}>
        Analyse again
      </Button>
    </Flex>
  );
}

/** Why "Analyse again" showed the same analysis: the backend deferred it. */
function DeferredRefresh(props: {
  generatedAt: string;
  deferred: NonNullable<InsightsState['deferred']>;
}) {
  const { retryAfterSeconds } = props.deferred;
  const from = new Date(props.generatedAt).toLocaleString();
  const when =
    retryAfterSeconds === undefined
      ? 'a new one can be requested later'
      : `a new one can be requested in ${retryAfterSeconds} s`;
  return (
    <Alert
      status="info"
      icon
      title={`Showing the analysis from ${from}: ${when} (the backend limits forced refreshes)`}
    />
  );
}

/** The three parts of the insights, once loaded. */
export function InsightsView(props: {
  insights: GoServiceInsights;
  deferred?: InsightsState['deferred'];
  onRefresh: () => void;
}) {
  const { insights } = props;
  return (
    <Flex direction="column" gap="4">
      <SourceHeader insights={insights} onRefresh={props.onRefresh} />
      {props.deferred ? (
        <DeferredRefresh
          generatedAt={insights.generatedAt}
          deferred={props.deferred}
        />
      ) : null}
      {insights.source.problems.length > 0 ? (
        <Alert
          status="warning"
          icon
          title="Parts of the source could not be read"
          description={
            <ProblemList
              label="Source problems"
              problems={insights.source.problems}
            />
          }
        />
      ) : null}
      <LayersView
        layers={insights.layers}
        location={insights.source.location}
      />
      <ProtoBrowser protos={insights.protos} />
      <MigrationsView migrations={insights.migrations} />
    </Flex>
  );
}

/** The insights with the services the entity calls. */
function EntityInsightsView(props: {
  insights: GoServiceInsights;
  deferred?: InsightsState['deferred'];
  onRefresh: () => void;
}) {
  const { entity } = useEntity();
  return (
    <Flex direction="column" gap="4">
      <InsightsView
        insights={props.insights}
        deferred={props.deferred}
        onRefresh={props.onRefresh}
      />
      <CallsView entity={entity} />
    </Flex>
  );
}

function LoadedArchitectureContent() {
  const { entity } = useEntity();
  const { loading, value, error, deferred, refresh } =
    useGoldenPathInsights(entity);
  if (loading && !value) {
    return (
      <Flex direction="column" gap="3" aria-label="Analysing the service">
        <Text variant="body-small" color="secondary">
          Analysing the service's source…
        </Text>
        <Skeleton width="100%" height={180} />
        <Skeleton width="100%" height={120} />
      </Flex>
    );
  }
  if (error) return <InsightsErrorState error={error} onRetry={refresh} />;
  if (!value) return null;
  return (
    <EntityInsightsView
      insights={value}
      deferred={loading ? undefined : deferred}
      onRefresh={refresh}
    />
  );
}

/**
 * The Architecture tab of a Go service: its layers with dependency-rule
 * violations, its proto APIs, its migrations per environment and the
 * services it calls.
 *
 * @public
 */
export function ArchitectureContent() {
  const { entity } = useEntity();
  if (!isGoServiceEntity(entity)) return <MissingAnnotationState />;
  return <LoadedArchitectureContent />;
}
