export { signInModule, providersFromConfig } from './signInModule';
