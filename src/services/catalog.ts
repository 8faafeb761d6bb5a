// The catalog as the rest of the code sees it: models with their allowed parameters and
// prices, nodes with the credentials they resolve to, and which models can be served now.
import type { CatalogFile, ModelConfig, NodeConfig } from '../config/catalog-schema.js';
import type { ProviderCredentials } from '../providers/types.js';

export interface ResolvedNode extends NodeConfig {
  credentials: ProviderCredentials;
  /** Empty when usable; otherwise what the operator must set. */
  missing: string[];
}

export class Catalog {
  readonly models: ModelConfig[];
  readonly nodes: ResolvedNode[];
  private readonly byId: Map<string, ModelConfig>;

  constructor(file: CatalogFile, env: NodeJS.ProcessEnv, needsCredentials: (provider: string) => boolean) {
    this.models = file.models;
    this.byId = new Map(file.models.map((m) => [m.id, m]));
    this.nodes = file.nodes.map((node) => {
      const provider = file.providers[node.provider] ?? {};
      const keyEnv = node.api_key_env ?? provider.api_key_env;
      const urlEnv = node.base_url_env ?? provider.base_url_env;
      const credentials: ProviderCredentials = {
        apiKey: (keyEnv && env[keyEnv]) || provider.api_key || undefined,
        baseUrl: ((urlEnv && env[urlEnv]) || provider.base_url || undefined)?.replace(/\/+$/, ''),
      };
      const missing: string[] = [];
      if (needsCredentials(node.provider)) {
        if (!credentials.apiKey) missing.push(keyEnv ?? `providers.${node.provider}.api_key`);
        if (!credentials.baseUrl) missing.push(urlEnv ?? `providers.${node.provider}.base_url`);
      }
      return { ...node, credentials, missing };
    });
  }

  model(id: string): ModelConfig | undefined {
    return this.byId.get(id);
  }

  node(id: string): ResolvedNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  /** Nodes configured to serve `modelId`, best first (priority, then weight). */
  nodesFor(modelId: string): ResolvedNode[] {
    return this.nodes.filter((n) => n.models.includes(modelId)).sort((a, b) => b.priority - a.priority || b.weight - a.weight);
  }

  /** Nodes that could serve the model now, i.e. have their credentials. */
  usableNodesFor(modelId: string): ResolvedNode[] {
    return this.nodesFor(modelId).filter((n) => n.missing.length === 0);
  }
}
