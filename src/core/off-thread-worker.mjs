// The worker thread of off-thread.ts: runs named exports of our own modules, one call at a time.
// Plain JavaScript so a worker can start under any loader; it registers tsx for the TypeScript it imports.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const modules = new Map();
parentPort.on('message', async ({ id, module, name, args }) => {
  try {
    let loaded = modules.get(module);
    if (!loaded) modules.set(module, loaded = await import(module));
    parentPort.postMessage({ id, ok: true, value: await loaded[name](...args) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
