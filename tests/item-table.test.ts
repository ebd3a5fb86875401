/**
 * The flat item table that hot loops read instead of the catalog, and the re-ranker's
 * table-based similarity: both must give exactly what the catalog's objects give, as the
 * catalog grows.
 */
import { describe, expect, it } from 'vitest';
import { ItemTable } from '../src/recommender/item-table.js';
import { itemSimilarity, SimilarityToMany } from '../src/recommender/rerank/item-similarity.js';
import { catalogOf, type ItemSpec } from './support/rerank-fixtures.js';

const SPECS: readonly ItemSpec[] = [
  { creatorId: 0, topics: [0, 1, 2] },
  { creatorId: 0, topics: [2, 0] },
  { creatorId: 1, topics: [] },
  { creatorId: 2, topics: [5], uploadTime: 1.5 },
  { creatorId: 1, topics: [1, 5, 0, 3] },
  { creatorId: 7, topics: [3, 3] },
  { creatorId: 2, topics: [] },
  { creatorId: 3, topics: [4, 2, 1], uploadTime: 0.25 },
];

describe('item table', () => {
  it('copies creator, upload time and tags of every item, including items added after a sync', () => {
    const catalog = catalogOf(SPECS.slice(0, 3));
    const table = new ItemTable(catalog);
    table.sync();
    expect(table.size).toBe(3);
    SPECS.slice(3).forEach((spec, k) => catalog.add({ id: 3 + k, lengthMinutes: 5, uploadTime: -5, ...spec }));
    table.sync();
    expect(table.size).toBe(SPECS.length);
    for (let id = 0; id < SPECS.length; id++) {
      const item = catalog.get(id);
      expect(table.creators[id]).toBe(item.creatorId);
      expect(table.uploadTimes[id]).toBe(item.uploadTime);
      expect(table.lengthMinutes[id]).toBe(item.lengthMinutes);
      expect([...table.topics.subarray(table.topicStart[id], table.topicStart[id + 1])]).toEqual(item.topics);
    }
    expect(table.creatorBound).toBe(8);
    expect(table.topicBound).toBe(6);
  });

  it('gives the re-ranker exactly itemSimilarity for every ordered pair, whatever the previous target', () => {
    const catalog = catalogOf(SPECS);
    const table = new ItemTable(catalog);
    table.sync();
    const similarity = new SimilarityToMany(table);
    // Several targets at once, then cleared and set again in another grouping: every cleared
    // table of tag positions must be as if new.
    const order = [...SPECS.keys()].reverse().concat([...SPECS.keys()].slice(1));
    for (const size of [3, 5, 1]) {
      for (let start = 0; start < order.length; start += size) {
        const targets = order.slice(start, start + size);
        for (const b of targets) similarity.add(b);
        expect(similarity.size).toBe(targets.length);
        targets.forEach((b, slot) => {
          for (let a = 0; a < SPECS.length; a++) expect(similarity.of(slot, a), `${a} to ${b}`).toBe(itemSimilarity(catalog.get(a), catalog.get(b)));
        });
        similarity.clear();
      }
    }
  });

  it('refuses a target after the tag count grew while others were set, and takes it once cleared', () => {
    const catalog = catalogOf(SPECS);
    const table = new ItemTable(catalog);
    table.sync();
    const similarity = new SimilarityToMany(table);
    similarity.add(0);
    catalog.add({ id: SPECS.length, creatorId: 4, topics: [9], lengthMinutes: 5, uploadTime: 0 });
    table.sync();
    expect(() => similarity.add(SPECS.length)).toThrow('SimilarityToMany: the tag count changed while targets were set');
    similarity.clear();
    similarity.add(SPECS.length);
    expect(similarity.of(0, 0)).toBe(itemSimilarity(catalog.get(0), catalog.get(SPECS.length)));
  });
});
