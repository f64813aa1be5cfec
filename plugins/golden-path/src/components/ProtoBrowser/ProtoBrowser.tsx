import {
  AccordionGroup,
  Alert,
  Box,
  Cell,
  Flex,
  Text,
  type ColumnConfig,
} from '@backstage/ui';
import type { ProtosInsight } from '@golden-path/plugin-golden-path-common';
import {
  hasMessageDetails,
  resolveMessage,
  type ProtoFieldInsight,
  type ProtoFileWithMessages,
} from '../../api/protoMessages';
import { ProblemList } from '../common/ProblemList';
import { Section } from '../common/Section';
import { StatusChip } from '../common/StatusChip';
import { plural } from '../LayersView/layout';
import { FieldsTable } from '../proto/FieldsTable';
import { MonoTitle } from '../proto/MonoTitle';
import { RpcAccordion } from '../proto/RpcAccordion';
import { writtenType } from '../proto/rpcText';

type FieldRow = ProtoFieldInsight & { id: number };

const typeColumns: ColumnConfig<FieldRow>[] = [
  {
    id: 'type',
    label: 'Type',
    cell: f => (
      <Cell>
        <Text
          variant="body-small"
          style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
        >
          {writtenType(f)}
        </Text>
      </Cell>
    ),
  },
];

function MessageFields(props: {
  part: 'Request' | 'Response';
  typeName: string;
  streaming: boolean;
  file: ProtoFileWithMessages;
  files: ProtoFileWithMessages[];
  detailsReported: boolean;
}) {
  const { part, typeName, streaming, file, files, detailsReported } = props;
  const message = resolveMessage(typeName, file, files);
  let body;
  if (message) {
    body = <FieldsTable fields={message.fields} typeColumns={typeColumns} />;
  } else if (!detailsReported) {
    body = (
      <Text variant="body-small" color="secondary">
        The insights backend does not report message fields yet.
      </Text>
    );
  } else {
    body = (
      <Text variant="body-small" color="secondary">
        {`${typeName} is not declared in this service's proto files (imported from elsewhere?).`}
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="1" aria-label={`${part} ${typeName}`}>
      <Flex gap="2" align="center">
        <Text variant="body-small" weight="bold">
          {part}
        </Text>
        <Text variant="body-small" style={{ fontFamily: 'monospace' }}>
          {message?.fullName ?? typeName}
        </Text>
        {streaming ? <StatusChip status="stream" tone="info" /> : null}
      </Flex>
      {body}
    </Flex>
  );
}

function ProtoFileView(props: {
  file: ProtoFileWithMessages;
  files: ProtoFileWithMessages[];
  detailsReported: boolean;
}) {
  const { file, files, detailsReported } = props;
  return (
    <Box
      p="3"
      style={{ border: '1px solid var(--bui-border-1)', borderRadius: 8 }}
      aria-label={`proto file ${file.path}`}
    >
      <Flex direction="column" gap="3">
        <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
          <MonoTitle>{file.path}</MonoTitle>
          {file.package ? (
            <Text variant="body-small" color="secondary">
              package {file.package}
            </Text>
          ) : null}
          {file.syntax ? (
            <Text variant="body-small" color="secondary">
              {file.syntax}
            </Text>
          ) : null}
        </Flex>
        {file.parseError ? (
          <Alert
            status="danger"
            icon
            title="This file does not parse"
            description={`${file.parseError.message} (line ${file.parseError.line}, column ${file.parseError.column})`}
          />
        ) : null}
        {file.services.length === 0 && !file.parseError ? (
          <Text variant="body-small" color="secondary">
            {`No services; ${plural(file.messages.length, 'message')}, ${plural(
              file.enums.length,
              'enum',
            )}.`}
          </Text>
        ) : null}
        {file.services.map(service => (
          <Flex key={service.name} direction="column" gap="2">
            <Text as="h4" variant="title-x-small">
              {`service ${service.name}`}
              <Text as="span" variant="body-small" color="secondary">
                {` · ${plural(service.rpcs.length, 'RPC')}`}
              </Text>
            </Text>
            <AccordionGroup allowsMultiple>
              {service.rpcs.map(rpc => (
                <RpcAccordion
                  key={rpc.name}
                  serviceName={service.name}
                  rpc={rpc}
                  renderPart={part => (
                    <MessageFields
                      {...part}
                      file={file}
                      files={files}
                      detailsReported={detailsReported}
                    />
                  )}
                />
              ))}
            </AccordionGroup>
          </Flex>
        ))}
        <ProblemList
          label={`Conventions of ${file.path}`}
          problems={file.problems}
        />
      </Flex>
    </Box>
  );
}

/** The proto API browser of the Architecture tab. */
export function ProtoBrowser(props: { protos: ProtosInsight }) {
  const files = props.protos.files as ProtoFileWithMessages[];
  const detailsReported = hasMessageDetails(files);
  const services = files.flatMap(f => f.services);
  const rpcs = services.reduce((n, s) => n + s.rpcs.length, 0);
  const problems =
    files.reduce((n, f) => n + f.problems.length, 0) +
    props.protos.problems.length;
  return (
    <Section
      title="Proto APIs"
      subtitle={`${plural(files.length, 'file')} · ${plural(
        services.length,
        'service',
      )} · ${plural(rpcs, 'RPC')} · ${plural(problems, 'convention problem')}`}
    >
      {files.length === 0 ? (
        <Text variant="body-small" color="secondary">
          No .proto files found in the service directory or under
          api/proto/&lt;service&gt;/. Add the service's API there (buf v2).
        </Text>
      ) : null}
      {files.map(file => (
        <ProtoFileView
          key={file.path}
          file={file}
          files={files}
          detailsReported={detailsReported}
        />
      ))}
      <ProblemList label="Proto problems" problems={props.protos.problems} />
    </Section>
  );
}
