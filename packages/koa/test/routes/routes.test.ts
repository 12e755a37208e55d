import { describe } from 'vitest';
import { routeSuite } from './route-suite.js';
import { startRouteHost } from './route-host.js';

describe('Logbook routes over the SQLite store', () => {
  routeSuite(() => startRouteHost());
});
