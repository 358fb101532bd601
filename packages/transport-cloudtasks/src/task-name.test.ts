import { describe, expect, it } from 'vitest';
import { dedupeTaskName } from './task-name.ts';

const QUEUE = 'projects/p/locations/l/queues/q';

describe('dedupeTaskName', () => {
  it('maps a key to the same valid task name every time', () => {
    const name = dedupeTaskName(QUEUE, 'sendMail', 'order 42 / ✉️');
    expect(name).toBe(dedupeTaskName(QUEUE, 'sendMail', 'order 42 / ✉️'));
    expect(name).toMatch(/^projects\/p\/locations\/l\/queues\/q\/tasks\//);
    expect(name.split('/').at(-1)).toMatch(/^[a-f0-9]{64}$/);
  });

  it('gives different functions with the same key different names', () => {
    expect(dedupeTaskName(QUEUE, 'a', 'k')).not.toBe(
      dedupeTaskName(QUEUE, 'b', 'k'),
    );
  });

  it('cannot be fooled by moving characters between name and key', () => {
    expect(dedupeTaskName(QUEUE, 'ab', 'c')).not.toBe(
      dedupeTaskName(QUEUE, 'a', 'bc'),
    );
  });
});
