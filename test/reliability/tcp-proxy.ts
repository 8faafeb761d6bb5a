// A TCP proxy in front of the shared Redis, to fake its outages without touching it: `stall()`
// keeps the connections open but holds everything back until `restore()` (as CLIENT PAUSE would
// on the server), `down()`
// cuts every connection and refuses new ones (nothing listens), `restore()` heals both.
import net from 'node:net';

export interface TcpProxy {
  url: string;
  stall(): void;
  down(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  let stalled = false;
  let server: net.Server;
  let listenPort = 0;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(port || 6379), hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        const pass = (to: net.Socket) => (d: Buffer) => (stalled ? held.push(() => to.write(d)) : to.write(d));
        client.on('data', pass(upstream));
        upstream.on('data', pass(client));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(listenPort, '127.0.0.1', () => {
        listenPort = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };

  await listen();
  return {
    url: `redis://127.0.0.1:${listenPort}`,
    stall: () => {
      stalled = true;
    },
    down: cut,
    async restore() {
      stalled = false;
      for (const write of held.splice(0)) write();
      if (!server.listening) await listen();
    },
    async close() {
      stalled = false;
      if (server.listening) await cut();
      else for (const s of sockets) s.destroy();
    },
  };
}
