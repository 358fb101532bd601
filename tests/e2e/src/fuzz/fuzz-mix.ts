// Which generator makes each input, by weight, drawn from one seeded
// source so a run can be repeated.
import {
  contentTypeInput,
  deepPushInput,
  emptyInput,
  garbagePushInput,
  notJsonInput,
  wrongMethodInput,
} from './body-inputs.ts';
import type { FuzzInput } from './fuzz-input.ts';
import type { FuzzMaterial } from './fuzz-material.ts';
import type { Random } from './random.ts';
import {
  pollutedArgumentsInput,
  pollutedCodecInput,
  pollutedMetadataInput,
  pollutedNameInput,
  signedDamagedInput,
  tooLargeInput,
} from './signed-inputs.ts';
import {
  damagedInput,
  oversizedInput,
  randomBytesInput,
  removedKeyInput,
  truncatedInput,
} from './unsigned-inputs.ts';

type InputMaker = (material: FuzzMaterial, random: Random) => FuzzInput;

/** Generators with their weights (per thousand inputs). */
const MIX: readonly (readonly [number, InputMaker])[] = [
  [120, (_material, random) => randomBytesInput(random)],
  [100, truncatedInput],
  [140, damagedInput],
  [50, removedKeyInput],
  [150, signedDamagedInput],
  [60, pollutedArgumentsInput],
  [40, pollutedNameInput],
  [20, pollutedCodecInput],
  [30, pollutedMetadataInput],
  [10, tooLargeInput],
  [140, garbagePushInput],
  [5, (_material, random) => deepPushInput(random)],
  [80, contentTypeInput],
  [20, (_material, random) => emptyInput(random)],
  [30, (_material, random) => notJsonInput(random)],
  [5, (_material, random) => wrongMethodInput(random)],
];

const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

/** Bodies of 10 MB and more; sent first, few of them. */
const OVERSIZED_INPUTS = 3;

/** Yields `count` inputs: a few oversized ones, then the weighted mix. */
export function* fuzzInputs(
  material: FuzzMaterial,
  random: Random,
  count: number,
): Generator<FuzzInput> {
  for (let index = 0; index < Math.min(OVERSIZED_INPUTS, count); index += 1) {
    yield oversizedInput(random);
  }
  for (let index = OVERSIZED_INPUTS; index < count; index += 1) {
    yield pick(random)(material, random);
  }
}

function pick(random: Random): InputMaker {
  let left = random.int(0, TOTAL_WEIGHT - 1);
  for (const [weight, generator] of MIX) {
    if (left < weight) return generator;
    left -= weight;
  }
  throw new Error('fuzz mix: weights do not add up');
}
