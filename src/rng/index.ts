export { Rng } from './rng.js';
export { AliasTable } from './alias-table.js';
export { RandomStreams } from './streams.js';
export { KeyedStream, betaDrawBound } from './keyed.js';
