import type { MouseEvent } from 'react';
import { Text } from '@backstage/ui';
import { StatusChip } from '../common/StatusChip';
import { linkStyle } from './SourceLineLink';
import { declarationId, type TypeIndex } from './typeIndex';

/**
 * A type as written, linked to its declaration when the definition holds
 * it; a type from an imported file is shown by name with an "imported" chip.
 */
export function TypeName(props: {
  text: string;
  typeName: string;
  scope: string;
  index: TypeIndex;
}) {
  const { text, typeName, scope, index } = props;
  const target = index.target(typeName, scope);
  const mono = { fontFamily: 'monospace', overflowWrap: 'anywhere' } as const;
  if (target.kind === 'message' || target.kind === 'enum') {
    const id = declarationId(target.fullName);
    return (
      <a
        href={`#${id}`}
        title={target.fullName}
        onClick={(e: MouseEvent) => {
          e.preventDefault();
          document
            .getElementById(id)
            ?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
        }}
        style={{ ...mono, ...linkStyle }}
      >
        {text}
      </a>
    );
  }
  return (
    <Text variant="body-small" style={mono}>
      {text}
      {target.kind === 'external' ? (
        <>
          {' '}
          <StatusChip status="imported" tone="neutral" label="imported" />
        </>
      ) : null}
    </Text>
  );
}
