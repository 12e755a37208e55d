#!/usr/bin/env node
// Not the barrel: it loads @logbook/core, which --version and --help never need.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2));
