/**
 * `recloop init` as a function: answers from flags, the rest asked (or defaulted with --yes),
 * rendered as a commented scenario, validated, and written without overwriting anything.
 */
import { basename, extname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Scenario } from '../scenario/index.js';
import type { InitAnswers } from './answers.js';
import { askQuestions } from './ask.js';
import { AnswerError } from './parse-answer.js';
import { QUESTIONS, answer, complete, type PartialAnswers } from './questions.js';
import { renderScenario } from './render.js';
import { writeScenarioFile } from './write-scenario.js';

export interface InitOptions {
  /** Answers typed as flags, by question key (e.g. { users: '5k', signals: 'click,watch' }). */
  readonly given: Partial<Record<keyof InitAnswers, string>>;
  /** Where to write; default `<name>.yaml`. Without a --name, the scenario is named after this file. */
  readonly out?: string;
  readonly force?: boolean;
  /** Ask the questions the flags left open; otherwise they take their defaults (--yes). */
  readonly ask?: { readonly input: Readable; readonly output: Writable };
}

export interface InitResult {
  readonly file: string;
  readonly answers: InitAnswers;
  readonly scenario: Scenario;
  readonly text: string;
}

export async function initScenario(options: InitOptions): Promise<InitResult> {
  const given: PartialAnswers = {};
  const nameText = options.given.name ?? (options.out === undefined ? undefined : nameFromFile(options.out));
  // In question order, so each flag is checked against the flags before it.
  for (const question of QUESTIONS) {
    const text = question.key === 'name' ? nameText : options.given[question.key];
    if (text === undefined) continue;
    try {
      answer(question.key, text, given);
    } catch (error) {
      if (error instanceof AnswerError) throw new AnswerError(`--${question.flag}: ${error.message}`);
      throw error;
    }
  }
  const answers = options.ask ? await askQuestions(given, options.ask.input, options.ask.output) : complete(given);
  const file = options.out ?? `${answers.name}.yaml`;
  const text = renderScenario(answers);
  const scenario = await writeScenarioFile(file, text, options.force ?? false);
  return { file, answers, scenario, text };
}

/** `reviews/Home Feed.yaml` → `Home-Feed`: the file's name with characters a scenario name cannot hold replaced. */
function nameFromFile(file: string): string {
  const stem = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return stem === '' ? 'my-scenario' : stem;
}
