// A scenario measures one server per call of runOnce, on a fresh server process the harness launched, or, with
// runSideBySide, every server of a run at once (each on a fresh process of its own), alternating between them.
import type { BenchServer, ServerName } from '../servers/types.ts';

export interface RunRecord {
  /** Named numbers; the report prints each as median [min-max] over the runs. */
  metrics: Record<string, number>;
  /** The load generator's core was above the saturation threshold: the numbers measure the driver. */
  saturated: boolean;
  /**
   * Metrics of a run that is usable otherwise, measured in a phase where the load generator was saturated
   * (scenario 2's connect phase): kept in the JSON, left out of the medians like a saturated run.
   */
  saturatedMetrics?: string[];
  notes: string[];
}

export interface ScenarioContext {
  quick: boolean;
  log: (message: string) => void;
}

interface ScenarioBase {
  id: number;
  title: string;
  /** Servers this scenario applies to (scenario 5+ are about ours). */
  servers: ServerName[];
  runs: (quick: boolean) => number;
  /** Per-scenario launch environment (e.g. a shorter unload delay is NOT used: servers run as shipped). */
  launchEnv?: Partial<Record<ServerName, Record<string, string>>>;
}

/** Measures one server per call, on a fresh server process the harness launched. */
interface OneAtATime extends ScenarioBase {
  runOnce(server: BenchServer, ctx: ScenarioContext): Promise<RunRecord>;
  runSideBySide?: undefined;
}

/**
 * The servers of one run are launched together (each pinned to the server core, fresh) and measured side by
 * side, in windows that alternate between them, so what disturbs this shared machine for a minute disturbs every
 * server's windows alike instead of one server's run. Returns a record for each server it was given.
 */
interface SideBySide extends ScenarioBase {
  runSideBySide(servers: BenchServer[], ctx: ScenarioContext): Promise<Map<ServerName, RunRecord>>;
  runOnce?: undefined;
}

export type Scenario = OneAtATime | SideBySide;

export const ALL_SERVERS: ServerName[] = ['ours', 'y-websocket-server', 'hocuspocus'];
