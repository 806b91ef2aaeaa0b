export { CostsPage, CostsPageContent } from './CostsPage';
