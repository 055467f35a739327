/**
 * `npm start`: builds the app when the build is missing or older than the sources, then serves it.
 */
import { buildIfStale } from './build';

buildIfStale();
await import('./index');
