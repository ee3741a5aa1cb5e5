/**
 * Evaluates Argo Rollouts metric conditions in tests, for the small subset of its expression
 * language (expr-lang) the canary metrics use: `result`, `result[i]`, `len(result)`, `isNaN(x)`,
 * numbers, comparisons, `!`, `&&`, `||`, parentheses. Anything else is refused, so a test never
 * silently evaluates a condition differently from the controller.
 *
 * Outcome rules follow utils/evaluate EvaluateResult: an evaluation error -> Error; only a success
 * condition -> Successful or Failed; only a failure condition -> Failed or Successful; both ->
 * Failed if failure holds, Successful if success holds, otherwise Inconclusive.
 */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

const TOKEN = /\s*(len\(result\)|isNaN|result|\d+(?:\.\d+)?|&&|\|\||<=|>=|==|!=|<|>|!|\(|\)|\[|\])/y;

function compile(condition: string): (result: readonly number[]) => boolean {
  let js = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < condition.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(condition);
    if (!m) {
      if (condition.slice(start).trim() === '') {
        break;
      }
      throw new Error(`condition outside the supported subset at ${JSON.stringify(condition.slice(start))}`);
    }
    const tok = m[1]!;
    js += tok === 'len(result)' ? 'result.length' : tok === 'isNaN' ? 'Number.isNaN' : tok === '==' ? '===' : tok === '!=' ? '!==' : tok;
    js += ' ';
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('result', `return (${js});`) as (result: readonly number[]) => boolean;
}

/** `result[i]` out of range is an evaluation error in expr-lang; make it one here too. */
function strictArray(values: readonly number[]): readonly number[] {
  return new Proxy(values as number[], {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) >= target.length) {
        throw new Error(`index out of range: ${prop} (len ${target.length})`);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The phase Argo gives one measurement whose query returned the vector `values`. */
export function measurementPhase(metric: { successCondition?: string; failureCondition?: string }, values: readonly number[]): MeasurementPhase {
  const result = strictArray(values);
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) {
      success = compile(metric.successCondition)(result) === true;
    }
    if (metric.failureCondition) {
      failure = compile(metric.failureCondition)(result) === true;
    }
  } catch (err) {
    if (String(err).includes('outside the supported subset')) {
      throw err;
    }
    return 'Error';
  }
  if (!metric.successCondition && !metric.failureCondition) {
    return 'Successful';
  }
  if (metric.successCondition && !metric.failureCondition) {
    failure = !success;
  } else if (!metric.successCondition && metric.failureCondition) {
    success = !failure;
  }
  if (failure) {
    return 'Failed';
  }
  return success ? 'Successful' : 'Inconclusive';
}
