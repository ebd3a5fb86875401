/**
 * What a choice model is, and how one declares itself to the registry (choice/registry.ts):
 * its name (the scenario's `world.choice.model`), the scenario fields it takes, and how to build
 * it from them. A model gives its click probabilities for a slate, which are the ground truth
 * off-policy evaluation measures against, and draws the user's click; the draw must follow
 * those probabilities (tests/choice.test.ts checks every registered model).
 */
import { z } from 'zod';
import type { Rng } from '../../rng/index.js';

export interface ChoiceModel {
  /** P(click at each position) for click utilities in position order; the rest is the no-click chance. */
  clickProbabilities(clickUtilities: ArrayLike<number>): Float64Array;
  /** Index of the clicked position, or -1 for no click. */
  choose(clickUtilities: ArrayLike<number>, rng: Rng): number;
}

export interface ChoiceModelEntry<Name extends string = string, Shape extends z.core.$ZodLooseShape = z.core.$ZodLooseShape> {
  readonly name: Name;
  /** The model's `world.choice` mapping; its `model` tag is this entry's name. */
  readonly option: z.ZodObject<Omit<Shape, 'model'> & { model: z.ZodLiteral<Name> }, z.core.$strict>;
  /** Builds the model from a parsed `world.choice` whose tag is this entry's name. */
  build(config: { readonly model: string }): ChoiceModel;
}

/** Declares a choice model: its name, its scenario fields (with defaults) and its constructor. */
export function defineChoiceModel<const Name extends string, Shape extends z.core.$ZodLooseShape>(spec: {
  readonly name: Name;
  readonly fields: Shape;
  readonly build: (config: z.output<z.ZodObject<Shape>>) => ChoiceModel;
}): ChoiceModelEntry<Name, Shape> {
  const option = z.strictObject({ model: z.literal(spec.name), ...spec.fields });
  const fields = z.strictObject(spec.fields);
  return {
    name: spec.name,
    option,
    build(config) {
      if (config.model !== spec.name) throw new Error(`choice model ${spec.name} built from the settings of ${config.model}`);
      // The config already passed the scenario schema: this parse only narrows it to this model's fields.
      const { model: _tag, ...own } = config;
      return spec.build(fields.parse(own));
    },
  };
}

/**
 * Draws a position from click probabilities (one uniform): the draw a model gets by default when
 * it has no process of its own to simulate, so its clicks follow its truth by construction.
 */
export function chooseByProbabilities(probabilities: ArrayLike<number>, rng: Rng): number {
  let r = rng.next();
  for (let p = 0; p < probabilities.length; p++) {
    r -= probabilities[p];
    if (r < 0) return p;
  }
  return -1;
}
