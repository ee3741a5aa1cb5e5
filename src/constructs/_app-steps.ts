/** CanaryApp's steps concern: a StepProfile or a list of CanaryStep, as step specs. */
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import { isWholeNumber } from './_checks';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CanaryStep } from './canary-step';
import { StepProfile } from './step-profile';

/** The steps as specs: a StepProfile's, a list of CanaryStep (each checked), or the automatic profile. */
export function resolveSteps(given: CanaryAppProps['steps'], mostReplicas: number | undefined, problems: ProblemList): CanaryStepSpec[] {
  const stepList: unknown = given === undefined ? StepProfile.automatic().steps : given instanceof StepProfile ? given.steps : given;
  const steps: CanaryStepSpec[] = [];
  if (!Array.isArray(stepList) || stepList.length === 0) {
    problems.add('steps', Array.isArray(stepList) ? [] : stepList, 'must list at least one step; without steps the new version gets 100 % of the traffic and pods at once');
    return steps;
  }
  stepList.forEach((s: unknown, i: number) => {
    if (!(s instanceof CanaryStep)) {
      problems.add(`steps[${i}]`, s, 'must be a CanaryStep (CanaryStep.setWeight(20), CanaryStep.pause(...), ...)');
      return;
    }
    s._check(`steps[${i}]`, problems, { maxReplicas: isWholeNumber(mostReplicas, 1) ? mostReplicas : undefined });
    steps.push(s.toSpec());
  });
  return steps;
}
