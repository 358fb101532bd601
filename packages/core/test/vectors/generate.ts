// Regenerates the golden vectors. Run it only for a deliberate change of
// the wire format: `node packages/core/test/vectors/generate.ts`.
import { writeFileSync } from 'node:fs';
import { buildVectors } from './build.ts';

for (const vector of buildVectors()) {
  const file = new URL(`${vector.name}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(vector, null, 2)}\n`);
  console.log(`wrote ${vector.name}.json (${vector.variants.length} frames)`);
}
