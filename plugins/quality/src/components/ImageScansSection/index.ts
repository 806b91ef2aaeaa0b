export { ImageScansSection } from './ImageScansSection';
