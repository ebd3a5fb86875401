/**
 * Every choice model the scenario can name in `world.choice.model`. The scenario schema's union
 * and `recloop init`'s profiles derive from this list; the first entry is the default.
 * Adding a model: its own file (see mnl.ts) and one line here.
 */
import { z } from 'zod';
import type { ChoiceModel } from './choice-model.js';
import { cascadeChoice } from './cascade.js';
import { mnlChoice } from './mnl.js';

export const CHOICE_MODELS = [mnlChoice, cascadeChoice] as const;

export type ChoiceModelName = (typeof CHOICE_MODELS)[number]['name'];
export const CHOICE_MODEL_NAMES: readonly ChoiceModelName[] = CHOICE_MODELS.map((entry) => entry.name);

const first = CHOICE_MODELS[0];
const rest = CHOICE_MODELS.slice(1);

/** `world.choice`: one option per model; `model` may be left out for the first. */
export const choiceSchema = z
  .discriminatedUnion('model', [first.option.extend({ model: z.literal(first.name).default(first.name) }), ...rest.map((entry) => entry.option)], {
    error: `expected model: ${CHOICE_MODEL_NAMES.join(', ')}`,
  })
  .prefault({});

export function buildChoiceModel(config: { readonly model: string }): ChoiceModel {
  const entry = CHOICE_MODELS.find((candidate) => candidate.name === config.model);
  if (!entry) throw new Error(`unknown choice model ${config.model}`);
  return entry.build(config);
}
