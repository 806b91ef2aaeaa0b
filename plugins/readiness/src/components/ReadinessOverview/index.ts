export { ReadinessOverview } from './ReadinessOverview';
