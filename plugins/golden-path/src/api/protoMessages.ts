/*
 * Message lookups over the proto files of the insights API
 * (`ProtoFileInsight.messageDetails`).
 */
import type {
  ProtoFieldInsight,
  ProtoFileInsight,
  ProtoMessageInsight,
} from '@golden-path/plugin-golden-path-common';

export type { ProtoFieldInsight, ProtoMessageInsight };

/**
 * A proto file with its message fields (the common type; kept as an alias
 * for callers of earlier versions).
 *
 * @public
 */
export type ProtoFileWithMessages = ProtoFileInsight;

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
