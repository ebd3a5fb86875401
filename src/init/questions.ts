/**
 * The questions, in the order a design review asks them. One list drives both the flags
 * (`--surface home_feed`) and the interactive prompts, so the two cannot drift apart. A
 * question's parser also checks the answer against earlier ones (an objective needs the
 * signals it weighs), which is why signals come after the objective and the recommender
 * before the cold-start policy.
 */
import {
  COLD_START_POLICIES,
  OBJECTIVES,
  RECOMMENDER_KINDS,
  SIGNALS,
  SURFACES,
  type InitAnswers,
  type Objective,
} from './answers.js';
import { coldStartProblem, objectiveProblem, withClick } from './answer-rules.js';
import { AnswerError, parseChoice, parseChoices, parseCount, parseNonNegative, parsePositive } from './parse-answer.js';

export type PartialAnswers = { -readonly [K in keyof InitAnswers]?: InitAnswers[K] };

export interface Question<K extends keyof InitAnswers> {
  readonly key: K;
  /** The command-line flag, without dashes. */
  readonly flag: string;
  readonly prompt: string;
  /** Why the question matters, shown before the prompt and in --help. */
  readonly why: string;
  readonly choices?: readonly string[];
  /** Asked only when this holds (start-up days only with a random start-up). */
  readonly when?: (answers: PartialAnswers) => boolean;
  readonly fallback: (answers: PartialAnswers) => InitAnswers[K];
  /** Throws AnswerError with what is accepted. */
  readonly parse: (text: string, answers: PartialAnswers) => InitAnswers[K];
  /** How an answer is shown back as a default (`[home_feed]`). */
  readonly show: (value: InitAnswers[K]) => string;
}

type QuestionTable = { readonly [K in keyof InitAnswers]: Question<K> };
/** The parts of a question that do not depend on its answer type: for help texts and prompts. */
export type QuestionText = Pick<Question<keyof InitAnswers>, 'key' | 'flag' | 'prompt' | 'why' | 'choices'>;

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
const MIN_ITEMS = 20;

/** The default objective: watch time, unless the logged signals cannot support it. */
const OBJECTIVE_PREFERENCE: readonly Objective[] = ['watch_time', 'satisfaction', 'clicks'];

const text = (value: string | number): string => String(value);
const list = (values: readonly string[]): string => values.join(',');

const QUESTION_TABLE: QuestionTable = {
  name: {
    key: 'name',
    flag: 'name',
    prompt: 'Scenario name',
    why: 'names the run folder (output/<name>/)',
    fallback: () => 'my-scenario',
    parse: (value) => {
      if (!NAME_PATTERN.test(value.trim())) throw new AnswerError('use letters, digits, dot, dash or underscore (e.g. home-feed-review)');
      return value.trim();
    },
    show: text,
  },
  surface: {
    key: 'surface',
    flag: 'surface',
    prompt: 'Which surface shows the slate',
    why: 'sets slate size, how users scan it, and which candidate sources matter',
    choices: SURFACES,
    fallback: () => 'home_feed',
    parse: (value) => parseChoice(value, SURFACES),
    show: text,
  },
  objective: {
    key: 'objective',
    flag: 'objective',
    prompt: 'What should the ranking score weigh',
    why: 'becomes the score formula over the ranker heads; clicks alone is the short-term objective that feedback loops amplify',
    choices: OBJECTIVES,
    // With signals given by flag, the first objective they can support.
    fallback: (answers) => OBJECTIVE_PREFERENCE.find((o) => answers.signals === undefined || objectiveProblem(o, answers.signals) === undefined) ?? 'clicks',
    parse: (value, answers) => {
      const objective = parseChoice(value, OBJECTIVES);
      const problem = answers.signals === undefined ? undefined : objectiveProblem(objective, answers.signals);
      if (problem !== undefined) throw new AnswerError(problem);
      return objective;
    },
    show: text,
  },
  signals: {
    key: 'signals',
    flag: 'signals',
    prompt: 'Which user signals are logged (comma-separated)',
    why: 'each logged signal becomes a ranker head the score can use; click is always logged',
    choices: SIGNALS,
    fallback: () => [...SIGNALS],
    parse: (value, answers) => {
      const signals = withClick(parseChoices(value, SIGNALS));
      const problem = answers.objective === undefined ? undefined : objectiveProblem(answers.objective, signals);
      if (problem !== undefined) throw new AnswerError(problem);
      return signals;
    },
    show: list,
  },
  users: {
    key: 'users',
    flag: 'users',
    prompt: 'How many users at the start',
    why: 'population scale; sign-ups add 1% a day',
    fallback: () => 3000,
    parse: (value) => parseCount(value),
    show: text,
  },
  items: {
    key: 'items',
    flag: 'items',
    prompt: 'How many items in the catalog at the start',
    why: 'catalog scale; uploads add 2% a day, which is what cold start is about',
    fallback: () => 3000,
    // Fewer items than two full slates leaves nothing for a recommender to choose.
    parse: (value) => parseCount(value, MIN_ITEMS),
    show: text,
  },
  days: {
    key: 'days',
    flag: 'days',
    prompt: 'How many simulated days',
    why: 'feedback loops take weeks to show; the recommender retrains once a day',
    fallback: () => 30,
    parse: (value) => {
      const days = parsePositive(value);
      if (days < 1) throw new AnswerError(`${days} days is shorter than one retrain (a day); give 1 or more`);
      return days;
    },
    show: text,
  },
  recommender: {
    key: 'recommender',
    flag: 'recommender',
    prompt: 'Which recommender',
    why: 'two_stage is the pipeline under review (candidate sources, multi-task ranker, re-ranking); popularity is the baseline',
    choices: RECOMMENDER_KINDS,
    fallback: () => 'two_stage',
    parse: (value, answers) => {
      const kind = parseChoice(value, RECOMMENDER_KINDS);
      const problem = answers.coldStart === undefined ? undefined : coldStartProblem(kind, answers.coldStart);
      if (problem !== undefined) throw new AnswerError(problem);
      return kind;
    },
    show: text,
  },
  coldStart: {
    key: 'coldStart',
    flag: 'cold-start',
    prompt: 'Cold-start policy (comma-separated)',
    why: 'random_startup shows random slates for the first days; fresh and content are candidate sources that find new items',
    choices: COLD_START_POLICIES,
    fallback: (answers) => (answers.recommender === 'popularity' ? ['random_startup'] : ['random_startup', 'fresh', 'content']),
    parse: (value, answers) => {
      const policies = parseChoices(value, COLD_START_POLICIES);
      if (policies.includes('none') && policies.length > 1) throw new AnswerError('none cannot be combined with other policies');
      const problem = answers.recommender === undefined ? undefined : coldStartProblem(answers.recommender, policies);
      if (problem !== undefined) throw new AnswerError(problem);
      return policies;
    },
    show: list,
  },
  startupDays: {
    key: 'startupDays',
    flag: 'startup-days',
    prompt: 'Days of random start-up',
    why: 'random slates give the first retrain a log that is not shaped by the recommender itself',
    when: (answers) => answers.coldStart?.includes('random_startup') ?? true,
    fallback: () => 2,
    parse: (value) => parsePositive(value),
    show: text,
  },
  latencyBudgetMs: {
    key: 'latencyBudgetMs',
    flag: 'latency-budget-ms',
    prompt: 'Latency budget per request, in milliseconds',
    why: 'what serving may cost end to end; the report draws the measured latency per request against it',
    fallback: () => 100,
    parse: (value) => {
      const ms = parseNonNegative(value);
      if (ms === 0) throw new AnswerError('a budget of 0 ms leaves nothing to serve with; give a number above zero');
      return ms;
    },
    show: text,
  },
};

/** Question order: later questions check their answers against earlier ones. */
export const QUESTION_ORDER: readonly (keyof InitAnswers)[] = [
  'name', 'surface', 'objective', 'signals', 'users', 'items', 'days', 'recommender', 'coldStart', 'startupDays', 'latencyBudgetMs',
];

export const QUESTIONS: readonly QuestionText[] = QUESTION_ORDER.map((key) => QUESTION_TABLE[key]);

/** Parses `text` as the answer to question `key` (checked against earlier answers) and stores it. */
export function answer<K extends keyof InitAnswers>(key: K, text: string, answers: PartialAnswers): void {
  answers[key] = QUESTION_TABLE[key].parse(text, answers);
}

/** The default answer to `key`, given the earlier answers, as it would be typed. */
export function defaultText<K extends keyof InitAnswers>(key: K, answers: PartialAnswers): string {
  const question = QUESTION_TABLE[key];
  return question.show(question.fallback(answers));
}

/** Whether `key` applies given the earlier answers. */
export function isAsked(key: keyof InitAnswers, answers: PartialAnswers): boolean {
  return QUESTION_TABLE[key].when?.(answers) ?? true;
}

function fallBack<K extends keyof InitAnswers>(key: K, answers: PartialAnswers): void {
  answers[key] = QUESTION_TABLE[key].fallback(answers);
}

/** Every answer present: unanswered questions take their defaults, in question order. */
export function complete(answers: PartialAnswers): InitAnswers {
  for (const key of QUESTION_ORDER) if (answers[key] === undefined) fallBack(key, answers);
  const { name, surface, objective, signals, users, items, days, recommender, coldStart, startupDays, latencyBudgetMs } = answers;
  if (
    name === undefined || surface === undefined || objective === undefined || signals === undefined || users === undefined ||
    items === undefined || days === undefined || recommender === undefined || coldStart === undefined ||
    startupDays === undefined || latencyBudgetMs === undefined
  ) {
    throw new Error('internal: a question has no default');
  }
  return { name, surface, objective, signals, users, items, days, recommender, coldStart, startupDays, latencyBudgetMs };
}
