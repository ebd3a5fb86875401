/**
 * A metric family loaded from a user's file joins the registry like a built-in one: its metrics
 * are declared by name, take their place in the directed, summed, charted and headline lists,
 * its patterns declare columns, and its instrument is built last with its own settings. The
 * registry is module state, so this file runs alone in its module graph (vitest isolates files).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { metricFamily, type MetricDeclaration } from '../src/metrics/declaration.js';
import {
  CHARTED_METRICS,
  createDefaultMetrics,
  DECLARED_METRICS,
  declarationOf,
  declarePluginMetrics,
  DIRECTED_METRICS,
  familyMetrics,
  HEADLINE_METRICS,
  isDefined,
  METRIC_PLUGINS,
  SUMMED_METRICS,
} from '../src/metrics/registry.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from '../src/metrics/types.js';

const base: MetricDeclaration = {
  label: 'Top-slot clicks',
  unit: 'clicks',
  format: 'count',
  description: 'per epoch',
  better: 'higher',
  defined: 'always',
  overEpochs: 'sum',
  scalesWithUsers: true,
  chart: 'short_term',
  headline: true,
};
const flat: MetricDeclaration = { ...base, label: 'Plain', better: null, overEpochs: 'mean', chart: null, headline: false, defined: { test: (row) => (row.top_clicks ?? 0) > 0, note: 'only with top clicks' } };
const chartedQuietly: MetricDeclaration = { ...base, label: 'Charted, no headline', overEpochs: 'mean', headline: false };
/** A headline is printed only for a charted metric. */
const unchartedHeadline: MetricDeclaration = { ...base, label: 'Headline, not charted', chart: null, headline: true };

/** An instrument that reports the settings it was built with. */
class SettingsEcho implements Metric {
  constructor(private readonly weight: number) {}
  observe(_event: SimEvent): void {}
  endEpoch(_bounds: EpochBounds): Record<string, number> {
    return { top_clicks: this.weight };
  }
}

const family = metricFamily({
  metrics: { top_clicks: base, plain_figure: flat, charted_quietly: chartedQuietly, uncharted_headline: unchartedHeadline },
  patterns: [{ pattern: /^echo_(.+)$/, declare: (match) => ({ ...flat, label: `Echo ${match[1]}` }) }],
  settings: { weight: z.number() },
  create: (_world, settings) => new SettingsEcho(settings.weight),
});

const world: WorldView = {
  topics: 1,
  itemCount: () => 0,
  userCount: () => 1,
  itemTopics: () => ({ ids: [], weights: [] }),
  itemUploadTime: () => 0,
  itemQuality: () => 0.5,
  itemCreator: () => 0,
  creatorCount: 1,
  creatorJoinTime: () => Number.NEGATIVE_INFINITY,
  userTopicPrefs: () => [1],
  userSignupTime: () => 0,
};
const options = { sampler: { sampleIndices: (_n: number, k: number) => Array.from({ length: k }, (_, i) => i) }, userDevice: null };

describe('a metric family from a file', () => {
  const builtIn = [...DECLARED_METRICS];

  it('declares its metrics by name, in every list their declarations put them in, after the built-in ones', () => {
    expect(declarationOf('top_clicks').label).not.toBe(base.label); // undeclared until loaded
    expect(declarePluginMetrics(family)).toEqual([]);
    expect(DECLARED_METRICS).toEqual([...builtIn, 'top_clicks', 'plain_figure', 'charted_quietly', 'uncharted_headline']);
    expect(declarationOf('top_clicks')).toBe(base);
    expect(DIRECTED_METRICS).toContain('top_clicks');
    expect(DIRECTED_METRICS).toContain('charted_quietly');
    expect(DIRECTED_METRICS).not.toContain('plain_figure');
    expect(SUMMED_METRICS).toContain('top_clicks');
    expect(SUMMED_METRICS).not.toContain('charted_quietly');
    expect(CHARTED_METRICS).toContain('top_clicks');
    expect(CHARTED_METRICS).toContain('charted_quietly');
    expect(CHARTED_METRICS).not.toContain('plain_figure');
    expect(familyMetrics('short_term')).toContain('charted_quietly');
    expect(HEADLINE_METRICS).toContain('top_clicks');
    expect(HEADLINE_METRICS).not.toContain('charted_quietly');
    expect(HEADLINE_METRICS).not.toContain('uncharted_headline');
    expect(isDefined('plain_figure', { top_clicks: 0 })).toBe(false);
    expect(isDefined('plain_figure', { top_clicks: 2 })).toBe(true);
    expect(declarationOf('echo_x').label).toBe('Echo x');
  });

  it('declared again (a second scenario with the same file), changes nothing', () => {
    const before = [...DECLARED_METRICS];
    expect(declarePluginMetrics(family)).toEqual([]);
    expect(DECLARED_METRICS).toEqual(before);
  });

  it('a family naming a metric already declared is refused with the names, and declares none of its own', () => {
    const before = [...DECLARED_METRICS];
    const clash = metricFamily({ metrics: { ctr: base, fresh_name: base }, patterns: [], settings: {}, create: null });
    expect(declarePluginMetrics(clash)).toEqual(['ctr']);
    expect(DECLARED_METRICS).toEqual(before);
    expect(declarationOf('fresh_name').label).not.toBe(base.label);
  });

  it('its instrument comes after the built-in ones, built with its own settings; a family without one adds none', () => {
    METRIC_PLUGINS.remember('/plugins/echo.ts', family);
    METRIC_PLUGINS.remember('/plugins/none.ts', metricFamily({ metrics: {}, patterns: [], settings: {}, create: null }));
    const settings = { homogenization_sample: 1, fresh_age: 1 };
    const builtInOnly = createDefaultMetrics(world, settings, options);
    const withPlugins = createDefaultMetrics(
      world,
      { ...settings, plugins: [{ family: 'module', path: '/plugins/echo.ts', weight: 7 }, { family: 'module', path: '/plugins/none.ts' }] },
      options,
    );
    expect(withPlugins).toHaveLength(builtInOnly.length + 1);
    const last = withPlugins.at(-1);
    expect(last).toBeInstanceOf(SettingsEcho);
    expect(last?.endEpoch({ epoch: 0, start: 0, end: 1 })).toEqual({ top_clicks: 7 });
  });

  it('a family asked for before its file was loaded is named as a metric family', () => {
    expect(() => METRIC_PLUGINS.get('/plugins/never-loaded.ts')).toThrow('the metric family plug-in /plugins/never-loaded.ts was not loaded');
  });
});
