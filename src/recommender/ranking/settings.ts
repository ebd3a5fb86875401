/** The `ranker` block of a two-stage recommender: the multi-task ranker's network, training and calibration. */
import { z } from 'zod';
import { positive, positiveCount, probability } from '../../settings/fields.js';
import { calibrationField } from './calibrators.js';
import { onDivergence } from '../../settings/divergence.js';
import { RANKER_HEADS } from './heads.js';
import { RANKER_MODEL_SETTINGS, rankerModelField } from './models.js';

export const rankerSection = z
  .strictObject({
    /** The network (models.ts lists them); its fields follow the heads. */
    model: rankerModelField,
    heads: z
      .array(z.enum(RANKER_HEADS, { error: `expected one of ${RANKER_HEADS.join(', ')}` }))
      .min(1, 'expected at least one head')
      .default(['click', 'watch', 'complete', 'like', 'survey']),
    ...RANKER_MODEL_SETTINGS,
    epochs: positiveCount.default(2),
    batch_size: positiveCount.default(1024),
    learning_rate: positive.default(0.003),
    max_examples: positiveCount.default(300_000),
    /** Weight examples by inverse logged propensity, clipped, to undo what the policy chose to show. */
    ips: z.strictObject({ enabled: z.boolean().default(false), clip: positive.default(10) }).prefault({}),
    /** How each head's logits become probabilities (calibrators.ts lists the methods). */
    calibration: calibrationField.default('isotonic'),
    /** Share of the log held out to fit calibration and measure it. */
    holdout: probability.default(0.1),
    on_divergence: onDivergence,
    /**
     * A ranking cascade: a linear pre-ranker distilled from this ranker keeps each request's
     * `keep` best candidates for the network to score; the rest are dropped. The `bypass`
     * sources' candidates keep their share of the `keep` (`bypass_kept: proportional`, their best
     * by the pre-ranker) or are all kept besides (`all`). Absent: the network scores every candidate.
     */
    prerank: z
      .strictObject({
        keep: positiveCount,
        bypass: z.array(z.string()).default(['fresh', 'explore']),
        bypass_kept: z.enum(['all', 'proportional']).default('proportional'),
      })
      .optional(),
  })
  .prefault({});
