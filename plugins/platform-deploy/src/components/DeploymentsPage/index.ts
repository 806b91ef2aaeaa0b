export { DeploymentsPage, DeploymentsPageContent } from './DeploymentsPage';
