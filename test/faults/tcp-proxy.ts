// A TCP proxy between the bots and PostgreSQL that the fault suite can cut: cut() drops every
// open connection (both ends destroyed, as when a network path or the server goes away) and
// refuses new ones until restore(). Nothing is buffered or replayed: what was in flight is lost,
// as it would be.
import net from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Connections currently open through the proxy. */
  readonly open: number;
  /** Connections dropped by cut() or refused while cut. */
  readonly dropped: number;
  cut(): void;
  /** Like a network path that goes silent: connections stay open but nothing passes, new ones hang. */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const held = new Set<net.Socket>();
  let isCut = false;
  let isStalled = false;
  let dropped = 0;
  const server = net.createServer((client) => {
    if (isCut) {
      dropped++;
      client.destroy();
      return;
    }
    if (isStalled) {
      held.add(client.on("error", () => {}).on("close", () => held.delete(client)));
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxy: TcpProxy = {
    port: (server.address() as net.AddressInfo).port,
    get open() {
      return pairs.size;
    },
    get dropped() {
      return dropped;
    },
    cut() {
      isCut = true;
      for (const { client, upstream } of pairs) {
        dropped++;
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    stall() {
      isStalled = true;
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    restore() {
      isCut = false;
      isStalled = false;
      // What stalled is dropped, as a network path that comes back after a long silence leaves it.
      for (const socket of held) socket.destroy();
      if (pairs.size > 0) proxy.cut();
      isCut = false;
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
