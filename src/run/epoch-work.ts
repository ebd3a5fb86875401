/**
 * What each epoch of a run is expected to cost, in served slates, for the time left that `run`,
 * `compare` and `sweep` print: the traffic estimate's slates (traffic-estimate.ts), with a
 * two-stage recommender's random start-up slates at a fraction of a served one. Its start-up days
 * serve random slates but retrain the models on them: in the loop benchmark's worlds a start-up
 * day took 0.25–0.32 of a trained day's time per slate (medium: 5.6 and 4.8 s for 61k and 66k
 * slates, then 19.0 and 26.1 s for 70k and 75k; large: 22.1 and 18.3 s for 307k and 328k, then
 * 79.2 s for 350k; bench/results/2026-12-08.json). Counted as whole slates, the start-up days set
 * a pace several times too fast, and the time left printed after them was a quarter of the run's.
 */
import type { Scenario } from '../scenario/index.js';
import { epochBounds } from '../simulation/simulation.js';
import { slatesPerEpoch } from './traffic-estimate.js';

/** A two-stage recommender's random start-up slate, against a slate the pipeline serves. */
export const TWO_STAGE_START_UP_COST = 0.3;

/** Each epoch's expected cost in served slates, epoch by epoch. */
export function epochWork(scenario: Scenario): Float64Array {
  const work = slatesPerEpoch(scenario);
  const { kind, random_startup: startUp, retrain } = scenario.recommender;
  if (kind !== 'two_stage' || !(startUp > 0)) return work;
  epochBounds(scenario.horizon.days, retrain.every).forEach(({ start, end }, e) => {
    // The share of the epoch inside the start-up (an epoch may straddle its end).
    const share = Math.min(1, Math.max(0, (Math.min(end, startUp) - start) / (end - start)));
    work[e] *= 1 - share * (1 - TWO_STAGE_START_UP_COST);
  });
  return work;
}
