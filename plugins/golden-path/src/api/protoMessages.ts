/*
 * Message fields of the proto files. The insights API types in
 * `@golden-path/plugin-golden-path-common` name the messages a file declares
 * (`ProtoFileInsight.messages`) but not their fields yet; a backend that
 * reports them adds `messageDetails` to each file. Until the common package
 * exports these shapes, they are declared here and read defensively.
 */
import type { ProtoFileInsight } from '@golden-path/plugin-golden-path-common';

/**
 * One field of a proto message (map fields and oneof members too).
 *
 * @public
 */
export interface ProtoFieldInsight {
  name: string;
  /** Type as written, e.g. `string`, `google.protobuf.Timestamp`. */
  type: string;
  number: number;
  label?: 'repeated' | 'optional' | 'required';
  /** Set for `map<K, V>` fields. */
  map?: { keyType: string; valueType: string };
  /** The oneof the field belongs to. */
  oneof?: string;
  line?: number;
}

/**
 * One proto message with its fields.
 *
 * @public
 */
export interface ProtoMessageInsight {
  /** Fully-qualified name, e.g. `order.v1.CreateOrderRequest`. */
  fullName: string;
  line?: number;
  fields: ProtoFieldInsight[];
}

/**
 * A proto file as the frontend reads it: the common type, plus the message
 * fields when the backend reports them.
 *
 * @public
 */
export type ProtoFileWithMessages = ProtoFileInsight & {
  messageDetails?: ProtoMessageInsight[];
};

/**
 * Finds the message a request or response type names, as protoc resolves it
 * from the file declaring the RPC: fully-qualified (leading dot), then
 * relative to the file's package and its parents.
 */
export function resolveMessage(
  typeName: string,
  from: ProtoFileWithMessages,
  files: ProtoFileWithMessages[],
): ProtoMessageInsight | undefined {
  const byName = new Map<string, ProtoMessageInsight>();
  for (const file of files) {
    for (const message of file.messageDetails ?? []) {
      byName.set(message.fullName, message);
    }
  }
  if (typeName.startsWith('.')) return byName.get(typeName.slice(1));
  const scopes = (from.package ?? '').split('.').filter(Boolean);
  for (let i = scopes.length; i >= 0; i--) {
    const candidate = [...scopes.slice(0, i), typeName].join('.');
    const found = byName.get(candidate);
    if (found) return found;
  }
  return undefined;
}

/** Whether the backend reported message fields for any file. */
export function hasMessageDetails(files: ProtoFileWithMessages[]): boolean {
  return files.some(f => Array.isArray(f.messageDetails));
}
