import { Box, Flex, Text } from '@backstage/ui';
import type { ProtoEnum } from '@golden-path/plugin-golden-path-common';
import { SourceLineLink } from './SourceLineLink';
import { declarationId } from './typeIndex';

/** One enum with its values, numbers and comments. */
export function EnumView(props: {
  decl: ProtoEnum;
  onShowLine: (line: number) => void;
}) {
  const { decl, onShowLine } = props;
  return (
    <Box
      id={declarationId(decl.fullName)}
      p="3"
      style={{ border: '1px solid var(--bui-border-1)', borderRadius: 8 }}
      aria-label={`enum ${decl.fullName}`}
    >
      <Flex direction="column" gap="1">
        <Flex gap="2" align="center">
          <Text
            variant="body-medium"
            weight="bold"
            style={{ fontFamily: 'monospace' }}
          >
            {`enum ${decl.fullName}`}
          </Text>
          <SourceLineLink line={decl.line} onShowLine={onShowLine} />
        </Flex>
        {decl.comment ? (
          <Text
            variant="body-small"
            color="secondary"
            style={{ whiteSpace: 'pre-line' }}
          >
            {decl.comment}
          </Text>
        ) : null}
        <Flex direction="column" gap="0.5" role="list">
          {decl.values.map(v => (
            <Flex key={v.name} gap="2" role="listitem" align="baseline">
              <Text variant="body-small" style={{ fontFamily: 'monospace' }}>
                {`${v.name} = ${v.number}`}
              </Text>
              {v.comment ? (
                <Text variant="body-small" color="secondary">
                  {v.comment}
                </Text>
              ) : null}
            </Flex>
          ))}
        </Flex>
      </Flex>
    </Box>
  );
}
