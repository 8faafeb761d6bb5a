import type { Settings } from '../config/settings.js';
import { buildProbeServer, buildServer } from '../http/server.js';
import { loadTokenizer } from '../modalities/chat/tokens.js';
import { createPlatform } from '../platform.js';

/**
 * `aio serve`: the gateway, plus the workers in-process when there is no REDIS_URL.
 * `aio worker`: workers only (distributed mode).
 */
export async function serve(settings: Settings, role: 'serve' | 'worker', nodes: string[]): Promise<void> {
  if (role === 'worker' && !settings.redisUrl) {
    process.stderr.write('aio worker needs REDIS_URL (and DATABASE_URL=postgres://...) to take tasks from the gateway; without Redis, `aio serve` runs the workers itself.\n');
    process.exit(2);
  }
  const platform = await createPlatform(settings, { workers: role === 'worker' || !settings.redisUrl, nodes });
  const app = role === 'serve' ? await buildServer(platform) : undefined;
  if (app) {
    await app.listen({ host: settings.host, port: settings.port });
    platform.log.info({ url: `http://${settings.host}:${settings.port}`, database: platform.dbKind, workers: platform.runner ? 'in-process' : 'remote' }, 'API in One is serving');
    // The gateway answers chat: load the tokenizer now rather than in the first chat request.
    if (platform.catalog.models.some((m) => m.type === 'chat')) void loadTokenizer().catch((err) => platform.log.warn({ err }, 'loading the chat tokenizer failed'));
  } else {
    platform.log.info({ nodes: nodes.length ? nodes : 'all' }, 'API in One worker is running');
  }
  const metricsPort = settings.metricsPort;
  const metricsApp = role === 'worker' && metricsPort ? await buildProbeServer(platform) : undefined;
  if (metricsApp) await metricsApp.listen({ host: settings.host, port: metricsPort });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.log.info({ signal }, 'shutting down');
    await app?.close();
    await metricsApp?.close();
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
