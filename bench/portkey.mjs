// Portkey's AI gateway (the `@portkey-ai/gateway` devDependency) as the bench runs it: headless,
// on the port given as `--port=N`, started unchanged but for two things done from outside:
// - its server listens on every interface; a listen without a host is bound to loopback here;
// - with `--standard-response`, the global Request/Response that @hono/node-server (1.19 here)
//   swaps in are put back once the server is made, i.e. its documented
//   `overrideGlobalObjects: false`. Without it Portkey 1.15.2 answers every streamed chat with
//   500 "Something went wrong" (`TypeError: immutable` in updateHeaders: Portkey-AI/gateway#1389,
//   #1550), so the bench runs the streamed rows through a second gateway started this way.
// Prints `{"ready":true}` on stdout once it serves.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  return listen.apply(this, args);
};
const { Request, Response } = globalThis;
const log = console.log;
console.log = console.error; // its banner and request logs go to stderr; stdout says when it is ready
await import(new URL('../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url).href);
if (process.argv.includes('--standard-response')) {
  Object.defineProperty(globalThis, 'Request', { value: Request });
  Object.defineProperty(globalThis, 'Response', { value: Response });
}
log(JSON.stringify({ ready: true }));
