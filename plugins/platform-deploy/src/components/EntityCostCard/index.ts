export { EntityCostCard } from './EntityCostCard';
