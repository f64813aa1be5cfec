import { Flex, Text } from '@backstage/ui';
import type { ProtoEnum } from '@golden-path/plugin-golden-path-common';
import { Comment } from './Comment';
import { DeclarationCard } from './DeclarationCard';

/** One enum with its values, numbers and comments. */
export function EnumView(props: {
  decl: ProtoEnum;
  onShowLine: (line: number) => void;
}) {
  const { decl, onShowLine } = props;
  return (
    <DeclarationCard kind="enum" decl={decl} gap="1" onShowLine={onShowLine}>
      <Comment text={decl.comment} />
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
    </DeclarationCard>
  );
}
