/** The validated `recommender.ranker` block of a two-stage scenario. */
import type { z } from 'zod';
import type { rankerSection } from './settings.js';

export type RankerConfig = z.output<typeof rankerSection>;
