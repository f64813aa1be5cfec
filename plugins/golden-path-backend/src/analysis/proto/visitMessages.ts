import type { ProtoMessage } from '@golden-path/plugin-golden-path-common';

/** Calls `fn` on each message and, depth first, on each message nested in it. */
export function visitMessages(
  messages: ProtoMessage[],
  fn: (m: ProtoMessage) => void,
): void {
  for (const m of messages) {
    fn(m);
    visitMessages(m.messages, fn);
  }
}
