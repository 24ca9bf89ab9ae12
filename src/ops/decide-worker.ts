/** The worker thread's task: one policy decision (see decider.ts). */
import { decide, type PolicyInputs } from '../policy/decide.js';
import { verdictOf, type Verdict } from './decider.js';

export default function decideTask(inputs: PolicyInputs): Verdict {
  return verdictOf(decide(inputs));
}
