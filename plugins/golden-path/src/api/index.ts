export * from './GoldenPathInsightsApi';
export * from './GoldenPathInsightsClient';
export type {
  ProtoFieldInsight,
  ProtoMessageInsight,
  ProtoFileWithMessages,
} from './protoMessages';
export * from './GoldenPathOnboardingApi';
export * from './GoldenPathOnboardingClient';
export * from './GoldenPathFleetApi';
export * from './GoldenPathFleetClient';
