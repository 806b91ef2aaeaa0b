export { platformDeployPlugin as default } from './plugin';
