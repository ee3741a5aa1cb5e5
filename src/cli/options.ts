import { InvalidArgumentError } from 'commander';
import { INT32_MAX } from '../model/int32';

/** Commander parser for a replica count: a whole number from 1 to 2147483647 (int32, as in the Rollout CRD). */
export function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a whole number of at least 1.`);
  }
  if (parsed > INT32_MAX) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is above ${INT32_MAX}, the most replicas a Rollout can hold (spec.replicas is an int32).`);
  }
  return parsed;
}

/** Commander parser for a percentage above 0 and at most 100. */
export function parsePercent(value: string): number {
  const parsed = Number(value.replace(/%$/, ''));
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed > 100) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a percentage above 0 and at most 100.`);
  }
  return parsed;
}

/** Commander parser for a comma-separated list, accumulating over repeated flags. */
export function parseList(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}
