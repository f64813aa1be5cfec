import type {
  ProtoEnum,
  ProtoFile,
  ProtoMessage,
} from '@golden-path/plugin-golden-path-common';
import { PROTO_SCALAR_TYPES } from '@golden-path/plugin-golden-path-common';
import { messagesByName, resolveTypeName } from './readDefinition';

/** Where a field's type is declared, as far as one definition can tell. */
export type TypeTarget =
  | { kind: 'scalar' }
  | { kind: 'message'; fullName: string }
  | { kind: 'enum'; fullName: string }
  /** Declared in an imported file (or nowhere): shown by its name. */
  | { kind: 'external' };

/** Id of the element showing a message or enum, for in-page links. */
export function declarationId(fullName: string): string {
  return `grpc-type-${fullName.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** Resolves the types a definition's fields and RPCs name. */
export class TypeIndex {
  readonly messages: Map<string, ProtoMessage>;
  readonly enums = new Map<string, ProtoEnum>();

  constructor(file: ProtoFile) {
    this.messages = messagesByName(file);
    for (const e of file.enums) this.enums.set(e.fullName, e);
    for (const m of this.messages.values())
      for (const e of m.enums) this.enums.set(e.fullName, e);
  }

  message(typeName: string, scope: string): ProtoMessage | undefined {
    return resolveTypeName(typeName, scope, this.messages);
  }

  target(typeName: string, scope: string): TypeTarget {
    if (PROTO_SCALAR_TYPES.has(typeName)) return { kind: 'scalar' };
    const message = this.message(typeName, scope);
    if (message) return { kind: 'message', fullName: message.fullName };
    const asEnum = resolveTypeName(typeName, scope, this.enums);
    if (asEnum) return { kind: 'enum', fullName: asEnum.fullName };
    return { kind: 'external' };
  }
}
