import { AccordionGroup, Flex, Text } from '@backstage/ui';
import type {
  ProtoFile,
  ProtoMessage,
  ProtoService,
} from '@golden-path/plugin-golden-path-common';
import { StatusChip } from '../common/StatusChip';
import { plural } from '../LayersView/layout';
import { RpcAccordion } from '../proto/RpcAccordion';
import { Comment } from './Comment';
import { DeclarationCard } from './DeclarationCard';
import { EnumView } from './EnumView';
import { FieldsTable } from './FieldsTable';
import { SourceLineLink } from './SourceLineLink';
import { TypeName } from './TypeName';
import { TypeIndex } from './typeIndex';

/** A message's comment and fields. */
function MessageDetails(props: {
  message: ProtoMessage;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { message, index, onShowLine } = props;
  return (
    <>
      <Comment text={message.comment} />
      <FieldsTable
        fields={message.fields}
        scope={message.fullName}
        index={index}
        onShowLine={onShowLine}
      />
    </>
  );
}

function RpcPart(props: {
  part: 'Request' | 'Response';
  typeName: string;
  streaming: boolean;
  pkg: string;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { part, typeName, streaming, pkg, index, onShowLine } = props;
  const message = index.message(typeName, pkg);
  return (
    <Flex direction="column" gap="1" aria-label={`${part} ${typeName}`}>
      <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
        <Text variant="body-small" weight="bold">
          {part}
        </Text>
        <TypeName
          text={message?.fullName ?? typeName}
          typeName={typeName}
          scope={pkg}
          index={index}
        />
        {streaming ? <StatusChip status="stream" tone="info" /> : null}
      </Flex>
      {message ? (
        <MessageDetails
          message={message}
          index={index}
          onShowLine={onShowLine}
        />
      ) : (
        <Text variant="body-small" color="secondary">
          {`${typeName} is declared in an imported file, which this definition does not hold.`}
        </Text>
      )}
    </Flex>
  );
}

function ServiceView(props: {
  service: ProtoService;
  pkg: string;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { service, pkg, index, onShowLine } = props;
  return (
    <Flex direction="column" gap="2" aria-label={`service ${service.name}`}>
      <Flex gap="2" align="baseline">
        <Text as="h3" variant="title-x-small">
          {`service ${service.name}`}
          <Text as="span" variant="body-small" color="secondary">
            {` · ${plural(service.rpcs.length, 'RPC')}`}
          </Text>
        </Text>
        <SourceLineLink line={service.line} onShowLine={onShowLine} />
      </Flex>
      <Comment text={service.comment} />
      <AccordionGroup
        allowsMultiple
        defaultExpandedKeys={
          service.rpcs.length ? [`${service.name}.${service.rpcs[0].name}`] : []
        }
      >
        {service.rpcs.map(rpc => (
          <RpcAccordion
            key={rpc.name}
            serviceName={service.name}
            rpc={rpc}
            intro={
              <Flex gap="2" align="baseline">
                <Comment text={rpc.comment} />
                <SourceLineLink line={rpc.line} onShowLine={onShowLine} />
              </Flex>
            }
            renderPart={part => (
              <RpcPart
                {...part}
                pkg={pkg}
                index={index}
                onShowLine={onShowLine}
              />
            )}
          />
        ))}
      </AccordionGroup>
    </Flex>
  );
}

function MessageView(props: {
  message: ProtoMessage;
  index: TypeIndex;
  onShowLine: (line: number) => void;
}) {
  const { message, index, onShowLine } = props;
  return (
    <DeclarationCard
      kind="message"
      decl={message}
      gap="2"
      onShowLine={onShowLine}
    >
      <MessageDetails message={message} index={index} onShowLine={onShowLine} />
    </DeclarationCard>
  );
}

/** The parsed definition: services and their RPCs, then messages and enums. */
export function ProtoDefinitionBrowser(props: {
  file: ProtoFile;
  onShowLine: (line: number) => void;
}) {
  const { file, onShowLine } = props;
  const index = new TypeIndex(file);
  const pkg = file.package ?? '';
  const messages = [...index.messages.values()];
  const enums = [...index.enums.values()];
  return (
    <Flex direction="column" gap="4">
      {file.imports.length ? (
        <Flex
          gap="2"
          align="center"
          style={{ flexWrap: 'wrap' }}
          aria-label="imports"
        >
          <Text variant="body-small" weight="bold">
            Imports
          </Text>
          {file.imports.map(i => (
            <Text
              key={i.path}
              variant="body-small"
              style={{ fontFamily: 'monospace' }}
            >
              {i.modifier ? `${i.modifier} ${i.path}` : i.path}
            </Text>
          ))}
          <Text variant="body-small" color="secondary">
            (not part of this definition: their types are shown by name)
          </Text>
        </Flex>
      ) : null}
      {file.services.length === 0 ? (
        <Text variant="body-small" color="secondary">
          {`This definition declares no service; ${plural(
            messages.length,
            'message',
          )}, ${plural(enums.length, 'enum')}.`}
        </Text>
      ) : null}
      {file.services.map(service => (
        <ServiceView
          key={service.name}
          service={service}
          pkg={pkg}
          index={index}
          onShowLine={onShowLine}
        />
      ))}
      {messages.length ? (
        <Flex direction="column" gap="2" aria-label="messages">
          <Text as="h3" variant="title-x-small">
            {`Messages · ${messages.length}`}
          </Text>
          {messages.map(m => (
            <MessageView
              key={m.fullName}
              message={m}
              index={index}
              onShowLine={onShowLine}
            />
          ))}
        </Flex>
      ) : null}
      {enums.length ? (
        <Flex direction="column" gap="2" aria-label="enums">
          <Text as="h3" variant="title-x-small">
            {`Enums · ${enums.length}`}
          </Text>
          {enums.map(e => (
            <EnumView key={e.fullName} decl={e} onShowLine={onShowLine} />
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
