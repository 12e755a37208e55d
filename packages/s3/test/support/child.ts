// Runs a bundled child entry with plain node and returns the JSON of its last stdout line.
import { spawn } from 'node:child_process';

/** Spawns `node <file> <JSON arg>` and resolves with the parsed last line of its stdout. */
export function runJsonChild<T>(file: string, arg: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, JSON.stringify(arg)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`child exited with ${code}: ${err}`));
      else {
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`child printed no JSON: ${out.slice(-500)} ${err}`));
        }
      }
    });
  });
}
