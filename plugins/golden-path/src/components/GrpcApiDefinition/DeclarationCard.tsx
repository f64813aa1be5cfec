import type { ComponentProps, ReactNode } from 'react';
import { Box, Flex } from '@backstage/ui';
import { MonoTitle } from '../proto/MonoTitle';
import { SourceLineLink } from './SourceLineLink';
import { declarationId } from './typeIndex';

/**
 * The framed card of one message or enum declaration: `kind fullName` with a
 * link to its line, then `children`; the card is the target of type links.
 */
export function DeclarationCard(props: {
  kind: 'message' | 'enum';
  decl: { fullName: string; line: number };
  gap: ComponentProps<typeof Flex>['gap'];
  onShowLine: (line: number) => void;
  children: ReactNode;
}) {
  const { kind, decl, gap, onShowLine, children } = props;
  return (
    <Box
      id={declarationId(decl.fullName)}
      p="3"
      style={{ border: '1px solid var(--bui-border-1)', borderRadius: 8 }}
      aria-label={`${kind} ${decl.fullName}`}
    >
      <Flex direction="column" gap={gap}>
        <Flex gap="2" align="center">
          <MonoTitle>{`${kind} ${decl.fullName}`}</MonoTitle>
          <SourceLineLink line={decl.line} onShowLine={onShowLine} />
        </Flex>
        {children}
      </Flex>
    </Box>
  );
}
