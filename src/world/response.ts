/**
 * What happens after a click: how long the user watches, whether they finish, like it, or
 * answer a survey. All follow the true utility of watching (not the click appeal), so a
 * clickbait item draws clicks and then short watches, few likes and poor survey answers.
 */
import type { Rng } from '../rng/index.js';
import type { WorldConfig } from './schema.js';

export interface Response {
  readonly watchMinutes: number;
  /** Watch time over item length, in [0, 1]: comparable across short and long items. */
  readonly watchFraction: number;
  readonly completed: boolean;
  readonly liked: boolean;
  /** Survey rating 1..5, or null when the user was not asked or did not answer. */
  readonly survey: number | null;
}

/** Typical item length (minutes); longer items are abandoned earlier at equal utility. */
const REFERENCE_LENGTH = 5;
const LENGTH_PENALTY = 0.6;
const WATCH_NOISE = 0.6;
const SURVEY_NOISE = 0.7;

export class ResponseModel {
  constructor(private readonly config: WorldConfig['response']) {}

  respond(trueUtility: number, lengthMinutes: number, rng: Rng): Response {
    const logit = trueUtility - 0.5 - LENGTH_PENALTY * Math.log(lengthMinutes / REFERENCE_LENGTH) + WATCH_NOISE * rng.normal();
    const watchFraction = 1 / (1 + Math.exp(-logit));
    const completed = watchFraction >= this.config.completion_threshold;
    const liked = rng.bernoulli(Math.min(0.9, this.config.like_base * Math.exp(trueUtility)));
    let survey: number | null = null;
    if (rng.bernoulli(this.config.survey_rate)) {
      const raw = 3 + 0.8 * trueUtility + SURVEY_NOISE * rng.normal();
      survey = Math.min(5, Math.max(1, Math.round(raw)));
    }
    return { watchMinutes: watchFraction * lengthMinutes, watchFraction, completed, liked, survey };
  }
}
