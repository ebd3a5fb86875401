/** Outputs of the multi-task ranker; the score formula is written over these names. */
export const RANKER_HEADS = ['click', 'watch', 'complete', 'like', 'survey', 'return'] as const;
export type RankerHead = (typeof RANKER_HEADS)[number];
