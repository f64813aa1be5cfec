import { useMemo, useState } from 'react';
import {
  Alert,
  Flex,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import { plural } from '../LayersView/layout';
import { ProtoDefinitionBrowser } from './ProtoDefinitionBrowser';
import { RawDefinition } from './RawDefinition';
import { readDefinition, type DefinitionReading } from './readDefinition';
import { SourceLineLink } from './SourceLineLink';
import { TypeIndex } from './typeIndex';

type View = 'browse' | 'raw';

function summary(reading: DefinitionReading): string | undefined {
  if (reading.kind !== 'parsed') return undefined;
  const { file } = reading;
  const index = new TypeIndex(file);
  const rpcs = file.services.reduce((n, s) => n + s.rpcs.length, 0);
  return [
    file.package ? `package ${file.package}` : 'no package',
    file.syntax ?? (file.edition ? `edition ${file.edition}` : 'proto2'),
    plural(file.services.length, 'service'),
    plural(rpcs, 'RPC'),
    plural(index.messages.size, 'message'),
    plural(index.enums.size, 'enum'),
  ].join(' · ');
}

/**
 * The definition of a gRPC API entity (its proto, usually `$text` of a
 * `.proto` file) as a browser of services, RPCs, fields and enums, with a
 * Raw toggle showing the proto with line numbers. Imports are listed by
 * name (the entity holds one file); an invalid proto shows the parse error
 * with its line, and a definition over the size limit is refused in one
 * line before it is parsed.
 *
 * @public
 */
export function GrpcApiDefinition(props: { definition: string }) {
  const definition =
    typeof props.definition === 'string' ? props.definition : '';
  const reading = useMemo(() => readDefinition(definition), [definition]);
  // an invalid proto opens on the Raw view at the line of the error
  const [view, setView] = useState<View>(
    reading.kind === 'invalid' ? 'raw' : 'browse',
  );
  const [line, setLine] = useState<number | undefined>();
  const showLine = (n: number) => {
    setLine(n);
    setView('raw');
  };
  const counts = useMemo(() => summary(reading), [reading]);
  return (
    <Flex direction="column" gap="3" aria-label="gRPC API definition">
      <Flex justify="between" align="center" style={{ flexWrap: 'wrap' }}>
        <Text variant="body-small" color="secondary">
          {counts ?? ''}
        </Text>
        <ToggleButtonGroup
          aria-label="definition view"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[view]}
          onSelectionChange={keys => {
            const [key] = [...keys];
            if (key === 'browse' || key === 'raw') setView(key);
          }}
        >
          <ToggleButton id="browse">Browse</ToggleButton>
          <ToggleButton id="raw">Raw</ToggleButton>
        </ToggleButtonGroup>
      </Flex>
      {reading.kind === 'too-large' ? (
        <Alert status="warning" icon title={reading.message} />
      ) : null}
      {reading.kind === 'invalid' ? (
        <Alert
          status="danger"
          icon
          title={`The proto does not parse: line ${reading.line}, column ${reading.column}: ${reading.message}`}
          description={
            <Text variant="body-small">
              Fix the .proto file the entity's definition reads, then refresh
              the entity.{' '}
              <SourceLineLink
                line={reading.line}
                onShowLine={showLine}
                label={`Show line ${reading.line}`}
              />
            </Text>
          }
        />
      ) : null}
      {view === 'raw' ? (
        <RawDefinition
          definition={definition}
          highlight={
            line ?? (reading.kind === 'invalid' ? reading.line : undefined)
          }
        />
      ) : null}
      {view === 'browse' && reading.kind === 'parsed' ? (
        <ProtoDefinitionBrowser file={reading.file} onShowLine={showLine} />
      ) : null}
      {view === 'browse' && reading.kind !== 'parsed' ? (
        <Text variant="body-small" color="secondary">
          Nothing to browse: the Raw view shows the definition as written.
        </Text>
      ) : null}
    </Flex>
  );
}
