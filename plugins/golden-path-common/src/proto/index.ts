export {
  DEFAULT_MAX_PROTO_BYTES,
  ProtoSyntaxError,
  tokenizeProto,
} from './tokenizer';
export type { ProtoToken, ProtoTokenKind } from './tokenizer';
export { parseProto } from './parser';
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
