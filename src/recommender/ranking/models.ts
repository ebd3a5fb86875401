/**
 * The ranker model registry: every `ranker.model`, declared beside its network
 * (model-component.ts says what a declaration holds). The `ranker` block's model choice and
 * fields, the models' checks and the network builder are derived from it, so a new model is
 * its file plus one line here.
 */
import { z } from 'zod';
import type { ConsistencyProblem } from '../../settings/problem.js';
import { DCN_V2_MODEL } from './dcn.js';
import type { RankerNetwork } from './model.js';
import { NETWORK_SETTINGS, type NetworkShape, type RankerModelComponent } from './model-component.js';
import { MMOE_MODEL } from './mmoe.js';

const MODELS = [DCN_V2_MODEL, MMOE_MODEL] as const;

type ModelName = (typeof MODELS)[number]['name'];
export const RANKER_MODELS = MODELS.map((m) => m.name) as [ModelName, ...ModelName[]];

/** `ranker.model`: the first model when left out. */
export const rankerModelField = z
  .enum(RANKER_MODELS, { error: `expected ${RANKER_MODELS.slice(0, -1).join(', ')} or ${RANKER_MODELS.at(-1)}` })
  .default(MODELS[0].name);

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The `ranker` fields of every model: the shared ones, then each model's own (read only by it). */
export const RANKER_MODEL_SETTINGS = Object.assign({}, NETWORK_SETTINGS, ...MODELS.map((m) => m.settings)) as typeof NETWORK_SETTINGS &
  Intersection<(typeof MODELS)[number]['settings']>;

function declared(name: string): RankerModelComponent {
  const model: RankerModelComponent | undefined = MODELS.find((m) => m.name === name);
  if (!model) throw new Error(`no ranker model is named ${name}`);
  return model;
}

/** The network of the model a `ranker` block names. */
export function buildRankerNetwork(ranker: { readonly model: string }, shape: NetworkShape): RankerNetwork {
  return declared(ranker.model).build(ranker, shape);
}

/** The checks of the model a `ranker` block names. */
export function checkRankerModel(ranker: { readonly model: string }): ConsistencyProblem[] {
  return declared(ranker.model).check(ranker);
}
