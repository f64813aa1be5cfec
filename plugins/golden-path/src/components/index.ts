export { ArchitectureContent } from './ArchitectureContent';
export { InsightsCard } from './InsightsCard';
