/**
 * Taking the HTTP port. The port is tried before anything else starts (the embedded database, the
 * job queue), so a taken port costs nothing to undo; the real listen reports the same way if the
 * port was taken between the two. Either failure is a StartError of one sentence, not a stack.
 */
import { createServer, type Server } from 'node:http';
import { StartError } from '../errors.ts';

function refused(port: number, err: NodeJS.ErrnoException): StartError {
  if (err.code === 'EADDRINUSE') return new StartError('port_in_use', `port ${port} is already in use (another instance of the service, or another program, listens on it): stop it, or set PORT to a free port`, { cause: err });
  return new StartError('port_refused', `port ${port} cannot be listened on (${err.code ?? err.message}): ports below 1024 need privileges; set PORT to another port`, { cause: err });
}

/** Listens on `port` and resolves with the server; rejects with a StartError when the port cannot be had. */
export function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(refused(port, err));
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

/** Whether `port` can be listened on now: listens and closes at once. Port 0 (any free one) always can. */
export async function checkPort(port: number): Promise<void> {
  if (port === 0) return;
  const probe = await listen(createServer(), port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
