import type { ReactNode } from 'react';
import { Text } from '@backstage/ui';

/** The bold monospace title of a proto card: a file path or `message a.B`. */
export function MonoTitle(props: { children: ReactNode }) {
  return (
    <Text
      variant="body-medium"
      weight="bold"
      style={{ fontFamily: 'monospace' }}
    >
      {props.children}
    </Text>
  );
}
