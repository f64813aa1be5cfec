export {
  DEFAULT_MAX_PROTO_BYTES,
  ProtoSyntaxError,
  tokenizeProto,
} from './tokenizer';
export type { ProtoToken, ProtoTokenKind } from './tokenizer';
export { parseProto } from './parser';
export { PROTO_SCALAR_TYPES } from './scalarTypes';
export type {
  ProtoEnum,
  ProtoEnumValue,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoOption,
  ProtoPosition,
  ProtoReserved,
  ProtoRpc,
  ProtoService,
} from './parser';
