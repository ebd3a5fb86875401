/** `recloop init`: the scoping questions of a design review, turned into a commented scenario file. */
export { initScenario, type InitOptions, type InitResult } from './init-scenario.js';
export { askQuestions, InputEndedError } from './ask.js';
export { QUESTIONS, complete, type PartialAnswers, type QuestionText } from './questions.js';
export { renderScenario } from './render.js';
export { ScenarioFileExistsError } from './write-scenario.js';
export { AnswerError } from './parse-answer.js';
export {
  COLD_START_POLICIES,
  OBJECTIVES,
  RECOMMENDER_KINDS,
  SIGNALS,
  SURFACES,
  type InitAnswers,
} from './answers.js';
