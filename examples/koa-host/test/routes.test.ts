import { describe } from 'vitest';
import { routeSuite } from './route-suite.js';
import { startHost } from './support.js';

describe('example host over the SQLite store', () => {
  routeSuite(() => startHost());
});
