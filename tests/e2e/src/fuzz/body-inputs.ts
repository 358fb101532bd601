// Inputs about the body rather than the frame: push bodies full of
// garbage, odd or missing content types, empty bodies, bodies that are
// not JSON under a JSON content type.
import {
  type Answer,
  type FuzzInput,
  PARSER_REFUSED,
  REFUSED,
} from './fuzz-input.ts';
import type { FuzzMaterial } from './fuzz-material.ts';
import { forge } from './mutate.ts';
import type { Random } from './random.ts';

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'message'];

/** A random JSON value, `depth` levels deep at most. */
function garbageValue(random: Random, depth: number): unknown {
  const kind = random.int(0, depth > 0 ? 7 : 4);
  if (kind === 0) return null;
  if (kind === 1) return random.int(-1e9, 1e9) * random.next();
  if (kind === 2) return random.chance(0.5);
  if (kind === 3) return random.bytes(random.int(0, 40)).toString('latin1');
  if (kind === 4) return random.bytes(random.int(0, 60)).toString('base64');
  if (kind === 5) {
    return Array.from({ length: random.int(0, 4) }, () =>
      garbageValue(random, depth - 1),
    );
  }
  return garbageObject(random, depth - 1);
}

function garbageObject(random: Random, depth: number): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (let count = random.int(0, 4); count > 0; count -= 1) {
    const key = random.chance(0.3)
      ? random.pick(HOSTILE_KEYS)
      : random.bytes(random.int(1, 8)).toString('hex');
    entries.push([key, garbageValue(random, depth)]);
  }
  return Object.fromEntries(entries);
}

/** `data` of a push message: never a frame that verifies. */
function garbageData(material: FuzzMaterial, random: Random): unknown {
  const kind = random.int(0, 5);
  if (kind === 0) return garbageValue(random, 2);
  if (kind === 1) return '!!not base64!!';
  if (kind === 2) return '';
  if (kind === 3) {
    const frame = forge(random.pick(material.canaryFrames), random);
    return Buffer.from(frame).toString('base64');
  }
  if (kind === 4) {
    return Buffer.from(random.pick(material.removedKeyFrames)).toString(
      'base64',
    );
  }
  return random.bytes(random.int(1, 512)).toString('base64');
}

/**
 * A JSON push body with garbage in every field, including own
 * `__proto__` keys (JSON text makes them own properties).
 */
export function garbagePushInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const message = random.chance(0.8)
    ? { ...garbageObject(random, 2), data: garbageData(material, random) }
    : garbageValue(random, 3);
  const extra = {
    ...(random.chance(0.3) ? { deliveryAttempt: garbageValue(random, 1) } : {}),
    ...(random.chance(0.2) ? { message } : {}),
  };
  const text = JSON.stringify({
    message,
    ...extra,
    ...garbageObject(random, 1),
  });
  return {
    category: 'garbage push body',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(text),
    expected: REFUSED,
  };
}

/** A push body whose JSON is nested thousands of levels deep. */
export function deepPushInput(random: Random): FuzzInput {
  const depth = random.int(500, 5_000);
  // Written out by hand: JSON.stringify itself overflows the stack here.
  const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const body = Buffer.from(`{"message":{"data":"AAAA"},"deep":${nested}}`);
  return {
    category: 'deeply nested push body',
    headers: { 'content-type': 'application/json' },
    body,
    expected: [...REFUSED, PARSER_REFUSED],
  };
}

interface ContentType {
  readonly value: string | undefined;
  readonly expected: readonly Answer[];
}

const CONTENT_TYPES: readonly ContentType[] = [
  { value: undefined, expected: [[200, 'malformed']] },
  { value: 'text/plain', expected: REFUSED },
  { value: 'multipart/form-data; boundary=fuzz', expected: REFUSED },
  { value: 'application/xml', expected: REFUSED },
  { value: 'image/png', expected: REFUSED },
  {
    value: 'application/x-www-form-urlencoded',
    expected: [...REFUSED, PARSER_REFUSED, [413]],
  },
  { value: 'application/json', expected: [...REFUSED, PARSER_REFUSED] },
  {
    value: 'application/cloudevents+json',
    expected: [...REFUSED, PARSER_REFUSED],
  },
  { value: 'text/plain; charset=klingon', expected: [[415]] },
];

/** Random bytes or a damaged frame under a random content type (or none). */
export function contentTypeInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const type = random.pick(CONTENT_TYPES);
  const body = random.chance(0.5)
    ? random.bytes(random.int(1, 2048))
    : forge(random.pick(material.canaryFrames), random);
  const headers: Record<string, string> = {};
  if (type.value !== undefined) headers['content-type'] = type.value;
  return {
    category: 'wrong or missing content type',
    headers,
    body,
    expected: type.expected,
  };
}

/** An empty body, with or without a content type. */
export function emptyInput(random: Random): FuzzInput {
  const type = random.pick(CONTENT_TYPES.slice(0, 8));
  const headers: Record<string, string> = {};
  if (type.value !== undefined) headers['content-type'] = type.value;
  return {
    category: 'empty body',
    headers,
    body: new Uint8Array(0),
    expected: [[200, 'malformed']],
  };
}

/** Text that is not JSON (or JSON that is no object) as application/json. */
export function notJsonInput(random: Random): FuzzInput {
  const texts = [
    '{',
    '{"message":',
    'null',
    '42',
    '"text"',
    'true',
    '[',
    "{'a':1}",
    '\u0000',
  ];
  const text = random.chance(0.5)
    ? random.pick(texts)
    : random.bytes(random.int(1, 200)).toString('latin1');
  return {
    category: 'not JSON under a JSON content type',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(text, 'latin1'),
    expected: [PARSER_REFUSED, [200, 'malformed']],
  };
}

/** A request with another method than POST. */
export function wrongMethodInput(random: Random): FuzzInput {
  return {
    category: 'wrong method',
    method: random.pick(['GET', 'PUT', 'DELETE', 'PATCH']),
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(0),
    expected: [[405]],
  };
}
