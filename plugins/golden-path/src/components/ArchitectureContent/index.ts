export { ArchitectureContent } from './ArchitectureContent';
