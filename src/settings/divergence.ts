/** What a model does when a retrain diverges (ml/divergence.ts): the `on_divergence` field of the two-tower and ranker blocks. */
import { z } from 'zod';

/**
 * `stop` (the default): the run stops with an error naming the model and the epoch. `keep_last`:
 * the model goes back to the weights it served before that retrain (its optimiser started
 * afresh) and serves them until a later retrain succeeds; `<model>_divergences` counts the
 * retrains thrown away. A first retrain that diverges stops the run either way: there is nothing
 * to go back to.
 */
export const onDivergence = z.enum(['stop', 'keep_last'], { error: 'expected stop or keep_last' }).default('stop');
export type OnDivergence = z.output<typeof onDivergence>;
