export { Rng } from './rng.js';
export { AliasTable } from './alias-table.js';
export { RandomStreams } from './streams.js';
export { KeyedStream } from './keyed.js';
