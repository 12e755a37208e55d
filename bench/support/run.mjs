// Runs a TypeScript benchmark: `node bench/support/run.mjs bench/artifacts.ts [args…]` bundles it
// (see bundle.mjs) and runs the bundle with plain node, passing the arguments and the exit code on.
import { spawn } from 'node:child_process';
import { bundleForNode } from './bundle.mjs';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node bench/support/run.mjs <bench/file.ts> [args…]');
  process.exit(2);
}
const file = await bundleForNode(entry);
const child = spawn(process.execPath, ['--expose-gc', file, ...args], {
  stdio: 'inherit',
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
