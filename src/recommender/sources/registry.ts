/**
 * The candidate source registry: every source of the two-stage pipeline, declared in its own
 * file (component.ts says what a declaration holds). The scenario's `candidates` entries and the
 * builder are derived from it, so a new source is its file plus one line here.
 */
import { z } from 'zod';
import { MODULE, moduleEntry, PluginSlot, pluginConfig } from '../../settings/module-entry.js';
import { componentSchemas } from '../tagged-component.js';
import { TWO_TOWER_SOURCE } from '../two-tower/source.js';
import type { CandidateSource } from '../types.js';
import type { CandidateSourceComponent, SourceContext } from './component.js';
import { CONTENT_SOURCE } from './content.js';
import { FRESH_SOURCE } from './fresh.js';
import { POPULARITY_SOURCE } from './popularity.js';
import { RANDOM_SOURCE } from './random.js';
import { TOPIC_SPREAD_SOURCE } from './topic-spread.js';

const SOURCES = [TWO_TOWER_SOURCE, POPULARITY_SOURCE, CONTENT_SOURCE, FRESH_SOURCE, RANDOM_SOURCE, TOPIC_SPREAD_SOURCE] as const;

export const CANDIDATE_SOURCES = SOURCES.map((s) => s.name);

/** Sources from users' own files (`source: module`), loaded with the scenario (src/plugins). */
export const SOURCE_PLUGINS = new PluginSlot<CandidateSourceComponent>('candidate source');

/** One entry of `candidates`, discriminated by `source`. */
export const candidateSourceEntry = z.discriminatedUnion(
  'source',
  [...componentSchemas(SOURCES), moduleEntry('source')],
  { error: `expected source: ${CANDIDATE_SOURCES.join(', ')} or ${MODULE} (with path: a file of your own)` },
);
export type CandidateSourceConfig = z.output<typeof candidateSourceEntry>;

export function buildCandidateSource(config: CandidateSourceConfig, ctx: SourceContext): CandidateSource {
  if (config.source === MODULE) {
    const plugin = SOURCE_PLUGINS.get(config.path);
    return plugin.build(pluginConfig(config, 'source', plugin.name), ctx);
  }
  const source = SOURCES.find((s) => s.name === config.source);
  if (!source) throw new Error(`no candidate source is named ${config.source}`);
  return source.build(config, ctx);
}
