/** Argument lists of a dispatched `updateRelated(users, context)`. */

export interface Payload {
  readonly name: 'small' | 'medium' | 'large';
  readonly args: unknown[];
}

function user(index: number) {
  return {
    id: `usr_${100_000 + index}`,
    email: `user${index}@example.com`,
    name: `User Number ${index}`,
    plan: index % 3 === 0 ? 'pro' : 'free',
    active: index % 4 !== 0,
    score: Math.round(index * 13.7) / 10,
    createdAt: new Date(1_700_000_000_000 + index * 86_400_000),
    tags: ['newsletter', 'beta', 'admin'].slice(0, index % 4),
    address: {
      city: 'Paris',
      zip: String(75_001 + (index % 20)),
      country: 'FR',
    },
  };
}

const context = { reason: 'nightly-sync', dryRun: false, requestedBy: 'cron' };

/** About 100 B, 10 KB and 1 MB as JSON; `tiny` shrinks the large one. */
export function payloads(tiny: boolean): Payload[] {
  const large = tiny ? 400 : 4_000;
  return [
    {
      name: 'small',
      args: [
        { id: 'usr_1042', email: 'ada@example.com', plan: 'pro' },
        { reason: 'signup', dryRun: false },
      ],
    },
    {
      name: 'medium',
      args: [Array.from({ length: 40 }, (_, i) => user(i)), context],
    },
    {
      name: 'large',
      args: [Array.from({ length: large }, (_, i) => user(i)), context],
    },
  ];
}
