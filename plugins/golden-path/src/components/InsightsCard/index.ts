export { InsightsCard } from './InsightsCard';
