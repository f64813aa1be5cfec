import { Flex, Text } from '@backstage/ui';
import {
  type Entity,
  parseEntityRef,
  RELATION_CONSUMES_API,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Section } from '../common/Section';

/** The targets of one relation type, as entity refs, sorted. */
function targets(entity: Entity, type: string, kind?: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .filter(ref => !kind || parseEntityRef(ref).kind.toLowerCase() === kind)
    .sort();
}

function RefList(props: { label: string; refs: string[] }) {
  return (
    <Flex direction="column" gap="1">
      <Text as="h3" variant="body-medium" weight="bold">
        {props.label}
      </Text>
      <ul aria-label={props.label}>
        {props.refs.map(ref => (
          <li key={ref}>
            <EntityRefLink entityRef={ref} />
          </li>
        ))}
      </ul>
    </Flex>
  );
}

/**
 * The services a Go service calls: the APIs it consumes and the components it
 * depends on (the Go service template's dependsOn writes both), from the
 * entity's catalog relations. Nothing when it calls none.
 */
export function CallsView(props: { entity: Entity }) {
  const apis = targets(props.entity, RELATION_CONSUMES_API);
  const services = targets(props.entity, RELATION_DEPENDS_ON, 'component');
  if (apis.length === 0 && services.length === 0) return null;
  return (
    <Section
      title="Calls"
      subtitle="The services it calls through its gRPC clients (internal/adapter/outbound/grpcclient), with a default deadline, retries of read methods and a circuit breaker each."
    >
      {services.length > 0 ? (
        <RefList label="Services it depends on" refs={services} />
      ) : null}
      {apis.length > 0 ? (
        <RefList label="APIs it consumes" refs={apis} />
      ) : null}
    </Section>
  );
}
