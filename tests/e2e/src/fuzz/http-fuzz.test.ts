// 100,000 seeded hostile inputs against the receiver's HTTP handler:
// random and damaged frames, frames signed with a removed key, pollution
// bait signed with the right key, garbage push bodies, odd content types.
// Nothing may crash, `canary` may never run, every input gets the answer
// DESIGN's delivery table gives it, and no prototype may change.
// FUZZ_SEED and FUZZ_INPUTS override the seed and the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigures, secondsSince } from '../faults/figures.ts';
import { createFuzzMaterial, type FuzzMaterial } from './fuzz-material.ts';
import { fuzzInputs } from './fuzz-mix.ts';
import { type FuzzTarget, startFuzzTarget } from './fuzz-target.ts';
import { createRandom } from './random.ts';
import { createSender } from './send.ts';
import { createTally } from './tally.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 100_000);
const CONNECTIONS = 32;

const PROTOTYPES = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Promise: Promise.prototype,
} as const;

/** Own property names of each prototype, to compare after the run. */
function prototypeShapes(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, prototype]) => [
      name,
      Reflect.ownKeys(prototype).map(String).sort(),
    ]),
  );
}

describe('the HTTP handler under 100,000 hostile inputs', () => {
  const shapesBefore = prototypeShapes();
  let material: FuzzMaterial;
  let target: FuzzTarget;

  beforeAll(async () => {
    material = await createFuzzMaterial(createRandom(SEED));
    target = await startFuzzTarget(material.keys);
  });

  afterAll(() => target?.stop());

  it('answers each as the delivery table says, runs no forged call, crashes never and pollutes nothing', async (context) => {
    const started = performance.now();
    const random = createRandom(SEED + 1);
    const inputs = fuzzInputs(material, random, INPUTS);
    const sender = createSender(target.url, CONNECTIONS);
    const tally = createTally();

    try {
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          for (const input of inputs) {
            tally.record(input, await sender.send(input));
          }
        }),
      );
    } finally {
      sender.close();
    }

    const { answers, mismatches, counts } = tally;
    const kinds = Object.keys(answers).length;
    reportFigures(context, {
      scenario: `HTTP handler fuzzed in process, seed ${SEED}`,
      calls: counts.sent,
      lost: 0,
      duplicatesApplied: 0,
      crashes: counts.crashes,
      seconds: secondsSince(started),
      notes:
        `${kinds} kinds of input, ${mismatches.length} answered off the ` +
        `table, canary ran ${target.canaryRuns()} times, pollution bait ` +
        `reached the probe ${target.probeRuns()} times, ` +
        `${target.probeProblems.length} of them saw pollution`,
      answers,
    });
    const empty: Record<string, unknown> = {};
    expect(counts.sent).toBe(INPUTS);
    expect(mismatches).toEqual([]);
    expect(counts.crashes).toBe(0);
    expect(target.canaryRuns()).toBe(0);
    expect(target.probeProblems).toEqual([]);
    expect(prototypeShapes()).toEqual(shapesBefore);
    expect(empty.polluted).toBeUndefined();
    expect(kinds).toBe(17);
  }, 180_000);
});
