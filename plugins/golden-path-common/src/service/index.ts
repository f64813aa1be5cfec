export { validateServiceValues } from './validateServiceValues';
export type { ServiceField, ServiceTransition, ServiceValues } from './validateServiceValues';
