/**
 * Asking the scoping questions one by one on a terminal (node:readline/promises). Questions
 * answered by flags are skipped; an empty line takes the default shown in brackets; a wrong
 * answer is explained and the question asked again. Input and output are streams, so a test
 * can drive the whole conversation.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { InitAnswers } from './answers.js';
import { AnswerError } from './parse-answer.js';
import { QUESTIONS, answer, complete, defaultText, isAsked, type PartialAnswers } from './questions.js';

/** The input ended (Ctrl-D, or a script ran out of lines) before every question was answered. */
export class InputEndedError extends Error {
  override readonly name = 'InputEndedError';
}

export async function askQuestions(given: PartialAnswers, input: Readable, output: Writable): Promise<InitAnswers> {
  const answers: PartialAnswers = { ...given };
  const lines = lineReader(input, output);
  try {
    output.write('Answer each question, or press Enter for the default in brackets.\n');
    for (const question of QUESTIONS) {
      if (answers[question.key] !== undefined || !isAsked(question.key, answers)) continue;
      const choices = question.choices === undefined ? '' : ` (${question.choices.join(', ')})`;
      output.write(`\n${question.prompt}${choices}\n  ${question.why}\n`);
      for (;;) {
        const fallback = defaultText(question.key, answers);
        const typed = await lines.next(`> [${fallback}] `);
        if (typed === undefined) throw new InputEndedError(`input ended before "${question.prompt}" was answered; pass --yes to take the defaults`);
        try {
          answer(question.key, typed.trim() === '' ? fallback : typed, answers);
          break;
        } catch (error) {
          if (!(error instanceof AnswerError)) throw error;
          output.write(`  ${error.message}\n`);
        }
      }
    }
  } finally {
    lines.close();
  }
  return complete(answers);
}

/**
 * One line per call. Lines are buffered as they arrive, since a piped or scripted input can
 * deliver many lines (and its end) while no question is waiting.
 */
function lineReader(input: Readable, output: Writable): { next(prompt: string): Promise<string | undefined>; close(): void } {
  // terminal mode (line editing, history) only on a real terminal.
  const rl = createInterface({ input, output, terminal: 'isTTY' in input && input.isTTY === true });
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  rl.on('line', (line) => {
    const take = waiting.shift();
    if (take) take(line);
    else queued.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const take of waiting.splice(0)) take(undefined);
  });
  return {
    next(prompt) {
      rl.setPrompt(prompt);
      rl.prompt();
      if (queued.length > 0) return Promise.resolve(queued.shift());
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close() {
      rl.close();
    },
  };
}
