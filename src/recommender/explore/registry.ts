/**
 * The exploration policy registry: every policy, declared in its own file (component.ts says
 * what a declaration holds). The scenario's `exploration:` union, the list of policy names and
 * the builder are derived from it, so a new policy is its file plus one line here.
 */
import { z } from 'zod';
import { MODULE, moduleEntry, PluginSlot, pluginConfig } from '../../settings/module-entry.js';
import { componentSchemas } from '../tagged-component.js';
import { BOLTZMANN } from './boltzmann.js';
import type { Exploration, ExplorationComponent, ExplorationContext } from './component.js';
import { EPSILON_GREEDY } from './epsilon-greedy.js';
import { GREEDY } from './greedy.js';
import { LINEAR_THOMPSON } from './linear-thompson.js';
import { THOMPSON } from './thompson.js';
import { UCB } from './ucb.js';

const POLICIES = [GREEDY, EPSILON_GREEDY, THOMPSON, LINEAR_THOMPSON, UCB, BOLTZMANN] as const;

export const EXPLORATION_POLICIES = POLICIES.map((p) => p.name);

/** Policies from users' own files (`policy: module`), loaded with the scenario (src/plugins). */
export const POLICY_PLUGINS = new PluginSlot<ExplorationComponent>('exploration policy');

/** `recommender.exploration`: one option per policy, greedy when absent. */
export const exploration = z
  .discriminatedUnion('policy', [...componentSchemas(POLICIES), moduleEntry('policy')], {
    error: `expected policy: ${EXPLORATION_POLICIES.join(', ')} or ${MODULE} (with path: a file of your own)`,
  })
  .prefault({ policy: 'greedy' });

export type ExplorationConfig = z.output<typeof exploration>;
export type ExplorationPolicyName = ExplorationConfig['policy'];

/** The policy a scenario asks for, and any candidate source it adds. */
export function buildExploration(config: ExplorationConfig, ctx: ExplorationContext): Exploration {
  if (config.policy === MODULE) {
    const plugin = POLICY_PLUGINS.get(config.path);
    return plugin.build(pluginConfig(config, 'policy', plugin.name), ctx);
  }
  const policy = POLICIES.find((p) => p.name === config.policy);
  if (!policy) throw new Error(`no exploration policy is named ${config.policy}`);
  return policy.build(config, ctx);
}

/** A slate-stage policy that orders the slate by something other than the re-ranked order: its name, as messages give it, and by what. */
export interface Reordering {
  readonly policy: string;
  readonly by: string;
}

/**
 * What the policy a scenario asks for orders the slate by when not the re-ranked order; null
 * when it keeps it. A policy from a file says so once it is loaded (until then, null: the
 * scenario loader checks again after loading its plug-ins).
 */
export function reorderedBy(config: ExplorationConfig): Reordering | null {
  const declared = config.policy === MODULE ? POLICY_PLUGINS.find(config.path) : POLICIES.find((p) => p.name === config.policy);
  if (declared === undefined || declared.reorders === null) return null;
  return { policy: config.policy === MODULE ? `${declared.name} (${config.path})` : declared.name, by: declared.reorders };
}
