// gateway.mjs - starts a real `labgate gateway` on a free loopback port for a browser test and stops it.
import { spawn } from 'node:child_process';

export async function startGateway(binary, args = []) {
  const proc = spawn(binary, ['gateway', '--listen', '127.0.0.1:0', '--threads', '1', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = [];
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('labgate did not start:\n' + log.join(''))), 15000);
    proc.stderr.on('data', (chunk) => {
      log.push(chunk.toString());
      const m = log.join('').match(/event=listening .*port=(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error('labgate exited with ' + code + ':\n' + log.join(''))));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    log,
    async stop() {
      const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15000));
      const code = await Promise.race([exited, timeout]);
      if (code === 'timeout') proc.kill('SIGKILL');
      return code;
    },
  };
}
