/** Field types shared by every part of the scenario schema, with messages that say what was expected. */
import { z } from 'zod';
import { parseDuration } from './duration.js';

export const count = z.number().int('expected a whole number').nonnegative('expected a count of 0 or more');
export const positiveCount = z.number().int('expected a whole number').positive('expected a whole number of 1 or more');
export const rate = z.number().nonnegative('expected a rate of 0 or more');
export const probability = z.number().min(0, 'expected a probability between 0 and 1').max(1, 'expected a probability between 0 and 1');
export const positive = z.number().positive('expected a number above 0');

/** A duration such as `30s`, `5m`, `2h`, `1d`, `2w`, or a number of days; parsed to days. */
export const duration = z
  .union([z.number(), z.string()], { error: 'expected a duration such as 30s, 5m, 2h, 1d or a number of days' })
  .transform((value, ctx) => {
    const days = parseDuration(value);
    if (days === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 5m, 2h, 1d or a number of days' });
      return z.NEVER;
    }
    return days;
  });

export const positiveDuration = duration.refine((days) => days > 0, 'expected a duration above zero');

export const pair = (item: z.ZodNumber, what: string) => z.tuple([item, item], { error: `expected a pair [${what}]` });
