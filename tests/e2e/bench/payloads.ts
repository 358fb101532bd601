// Argument lists the benches send: user records as an app would pass
// them, about 235 bytes each as JSON.

/** One user record, varied by `index`. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  plan: 'pro' | 'free';
  active: boolean;
  score: number;
  createdAt: Date;
  tags: string[];
  address: { city: string; zip: string; country: string };
}

/** `count` user records. */
export function userRecords(count: number): UserRecord[] {
  return Array.from({ length: count }, (_, index) => ({
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
  }));
}
