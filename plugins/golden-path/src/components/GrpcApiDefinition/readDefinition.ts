import {
  DEFAULT_MAX_PROTO_BYTES,
  parseProto,
  ProtoSyntaxError,
  type ProtoFile,
  type ProtoMessage,
} from '@golden-path/plugin-golden-path-common';

/** Largest definition the proto browser parses (the parser's own limit). */
export const MAX_DEFINITION_BYTES = DEFAULT_MAX_PROTO_BYTES;

/** What the proto browser can make of an API entity's definition. */
export type DefinitionReading =
  | { kind: 'parsed'; file: ProtoFile }
  | { kind: 'invalid'; message: string; line: number; column: number }
  | { kind: 'too-large'; message: string };

/** A size in bytes as people read it: 10.0 MB, 1.0 MB, 512 KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Parses an API entity's proto definition. A definition over the limit is
 * refused by its length alone (a string's length in UTF-16 units is never
 * more than its UTF-8 size, so no byte is read), which keeps a 10 MB
 * definition from blocking the page.
 */
export function readDefinition(
  definition: string,
  maxBytes = MAX_DEFINITION_BYTES,
): DefinitionReading {
  if (definition.length > maxBytes) {
    return {
      kind: 'too-large',
      message: `The definition is ${formatBytes(
        definition.length,
      )}, over the proto browser's limit of ${formatBytes(
        maxBytes,
      )}: split the proto into files of one API each, or read it on the Raw tab.`,
    };
  }
  try {
    return { kind: 'parsed', file: parseProto(definition, { maxBytes }) };
  } catch (e) {
    if (!(e instanceof ProtoSyntaxError)) throw e;
    if (/larger than the limit/.test(e.message)) {
      return {
        kind: 'too-large',
        message: `The definition is over the proto browser's limit of ${formatBytes(
          maxBytes,
        )} (counted in UTF-8 bytes): split the proto into files of one API each, or read it on the Raw tab.`,
      };
    }
    return {
      kind: 'invalid',
      // the error's message starts with "line:column: "
      message: e.message.replace(/^\d+:\d+: /, ''),
      line: e.line,
      column: e.column,
    };
  }
}

/** Every message of a file by its fully-qualified name (nested ones too). */
export function messagesByName(file: ProtoFile): Map<string, ProtoMessage> {
  const out = new Map<string, ProtoMessage>();
  const visit = (messages: ProtoMessage[]) => {
    for (const m of messages) {
      out.set(m.fullName, m);
      visit(m.messages);
    }
  };
  visit(file.messages);
  return out;
}

/**
 * The declaration a type name refers to from `scope` (a package or message
 * name), as protoc resolves it: fully-qualified with a leading dot, else
 * from the innermost scope outwards. Undefined when the definition does not
 * declare it (an imported type, shown by name).
 */
export function resolveTypeName<T>(
  typeName: string,
  scope: string,
  byFullName: Map<string, T>,
): T | undefined {
  if (typeName.startsWith('.')) return byFullName.get(typeName.slice(1));
  const parts = scope.split('.').filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const found = byFullName.get([...parts.slice(0, i), typeName].join('.'));
    if (found) return found;
  }
  return undefined;
}
