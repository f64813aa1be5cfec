import { Text } from '@backstage/ui';

/** A declaration's comment as written (line breaks kept); nothing when none. */
export function Comment(props: { text?: string }) {
  if (!props.text) return null;
  return (
    <Text
      variant="body-small"
      color="secondary"
      style={{ whiteSpace: 'pre-line' }}
    >
      {props.text}
    </Text>
  );
}
