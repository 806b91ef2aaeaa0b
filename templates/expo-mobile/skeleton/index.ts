import { registerRootComponent } from 'expo';
import App from './App';

// Sets the app up for both Expo Go and native builds.
registerRootComponent(App);
