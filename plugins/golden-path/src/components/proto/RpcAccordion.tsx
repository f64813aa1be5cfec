import type { ReactNode } from 'react';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Flex,
  Grid,
} from '@backstage/ui';
import { rpcSignature, streamingKind, type RpcShape } from './rpcText';

/** How one side of an RPC (its request or response message) is shown. */
export type RpcPartRenderer = (part: {
  part: 'Request' | 'Response';
  typeName: string;
  streaming: boolean;
}) => ReactNode;

/**
 * One RPC of a service as an accordion: name and signature, then its request
 * and response side by side, after `intro` when given.
 */
export function RpcAccordion(props: {
  serviceName: string;
  rpc: RpcShape & { name: string };
  intro?: ReactNode;
  renderPart: RpcPartRenderer;
}) {
  const { serviceName, rpc, intro, renderPart } = props;
  const kind = streamingKind(rpc);
  const parts = (
    <Grid.Root columns={{ initial: '1', md: '2' }} gap="4">
      {renderPart({
        part: 'Request',
        typeName: rpc.requestType,
        streaming: rpc.clientStreaming,
      })}
      {renderPart({
        part: 'Response',
        typeName: rpc.responseType,
        streaming: rpc.serverStreaming,
      })}
    </Grid.Root>
  );
  return (
    <Accordion id={`${serviceName}.${rpc.name}`}>
      <AccordionTrigger
        title={rpc.name}
        subtitle={`${rpcSignature(rpc)}${kind ? ` · ${kind}` : ''}`}
      />
      <AccordionPanel>
        {intro ? (
          <Flex direction="column" gap="3">
            {intro}
            {parts}
          </Flex>
        ) : (
          parts
        )}
      </AccordionPanel>
    </Accordion>
  );
}
