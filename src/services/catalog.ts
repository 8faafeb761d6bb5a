// The catalog as the rest of the code sees it: models with their allowed parameters and
// prices, nodes with the credentials they resolve to, and which models can be served now.
// Nodes come from the catalog file (credentials from the environment) and from the database
// (provider connections made on the admin pages, src/services/connections/), merged here and
// replaced whenever those are reloaded, so routing picks up a new connection without a restart.
import type { CatalogFile, ModelConfig, NodeConfig, PackConfig } from '../config/catalog-schema.js';
import { toCredits } from '../lib/credits.js';
import type { ProviderCredentials } from '../providers/types.js';

export interface ResolvedNode extends NodeConfig {
  credentials: ProviderCredentials;
  /** Empty when usable; otherwise what the operator must set. */
  missing: string[];
  /** Where the node is defined: the catalog file (read-only on the admin pages) or the database. */
  source: 'file' | 'database';
}

/** What the operator may change over the catalog file at run time (the dashboard's model overrides). */
export interface ModelOverride {
  enabled?: boolean | null;
  /** The base price per unit, in micro-credits. */
  unit_price_micro?: number | null;
}

interface FileValues {
  enabled: boolean;
  /** The base price per unit, in credits, as the file says. */
  credits: number;
}

export class Catalog {
  readonly models: ModelConfig[];
  /** The catalog file's nodes. */
  readonly fileNodes: ResolvedNode[];
  /** Every node, file first: replaced as a whole when connections change, so readers see one version. */
  private allNodes: ResolvedNode[];
  /** Each provider's base URL when a node names none (environment, then the file). */
  private readonly baseUrls = new Map<string, string>();
  /** The environment variables each file node's credentials come from. */
  private readonly envNames = new Map<string, { api_key: string | null; base_url: string | null }>();
  /** Credit packs sold on the dashboard. */
  readonly packs: PackConfig[];
  private readonly byId: Map<string, ModelConfig>;
  /** The catalog file's own values, so an override can be taken back. */
  private readonly fileValues: Map<string, FileValues>;

  constructor(file: CatalogFile, env: NodeJS.ProcessEnv, needsCredentials: (provider: string) => boolean) {
    this.models = file.models;
    this.packs = file.packs ?? [];
    this.byId = new Map(file.models.map((m) => [m.id, m]));
    this.fileValues = new Map(file.models.map((m) => [m.id, { enabled: m.enabled, credits: m.price.credits }]));
    for (const [name, provider] of Object.entries(file.providers)) {
      const url = (provider.base_url_env && env[provider.base_url_env]) || provider.base_url;
      if (url) this.baseUrls.set(name, url.replace(/\/+$/, ''));
    }
    this.fileNodes = file.nodes.map((node) => {
      const provider = file.providers[node.provider] ?? {};
      const keyEnv = node.api_key_env ?? provider.api_key_env;
      const urlEnv = node.base_url_env ?? provider.base_url_env;
      this.envNames.set(node.id, { api_key: keyEnv ?? null, base_url: urlEnv ?? null });
      const credentials: ProviderCredentials = {
        apiKey: (keyEnv && env[keyEnv]) || provider.api_key || undefined,
        baseUrl: ((urlEnv && env[urlEnv]) || provider.base_url || undefined)?.replace(/\/+$/, ''),
      };
      const missing: string[] = [];
      if (needsCredentials(node.provider)) {
        if (!credentials.apiKey) missing.push(keyEnv ?? `providers.${node.provider}.api_key`);
        if (!credentials.baseUrl) missing.push(urlEnv ?? `providers.${node.provider}.base_url`);
      }
      return { ...node, credentials, missing, source: 'file' as const };
    });
    this.allNodes = this.fileNodes;
  }

  get nodes(): ResolvedNode[] {
    return this.allNodes;
  }

  /** Replaces the database's nodes (ids the file already uses are the caller's to refuse). */
  setDatabaseNodes(nodes: ResolvedNode[]): void {
    this.allNodes = [...this.fileNodes, ...nodes];
  }

  /** The environment variables a catalog file node's credentials come from. */
  envOf(nodeId: string): { api_key: string | null; base_url: string | null } | null {
    return this.envNames.get(nodeId) ?? null;
  }

  /** The base URL a node of `provider` uses when it names none. */
  defaultBaseUrl(provider: string): string | undefined {
    return this.baseUrls.get(provider);
  }

  model(id: string): ModelConfig | undefined {
    return this.byId.get(id);
  }

  /**
   * Sets a model's `enabled` and price from the file's values and `override` (a field left out or
   * null keeps the file's value). False for a model the catalog does not have.
   */
  applyOverride(id: string, override: ModelOverride): boolean {
    const model = this.byId.get(id);
    const file = this.fileValues.get(id);
    if (!model || !file) return false;
    model.enabled = override.enabled ?? file.enabled;
    model.price = { ...model.price, credits: override.unit_price_micro != null ? toCredits(override.unit_price_micro) : file.credits };
    return true;
  }

  /** The catalog file's values of a model, before any override. */
  fileValuesOf(id: string): FileValues | undefined {
    const file = this.fileValues.get(id);
    return file && { ...file };
  }

  node(id: string): ResolvedNode | undefined {
    return this.allNodes.find((n) => n.id === id);
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
