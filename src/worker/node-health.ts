// What the router knows of a node, as admins see it. Import-free, so the web app can share the type.

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface NodeHealth {
  id: string;
  provider: string;
  models: string[];
  configured: boolean;
  missing: string[];
  state: BreakerState;
  consecutive_failures: number;
  in_flight: number;
  concurrency: number;
  succeeded: number;
  failed: number;
  last_error: string | null;
}
