import { DispatchError } from '@cloud-functions-dispatch/core';
import { describe, expect, it } from 'vitest';
import { createJsonLogger, type JsonLoggerOptions } from './json-logger.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function capture(options: JsonLoggerOptions = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const logger = createJsonLogger({
    projectId: 'demo-project',
    ...options,
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
  });
  const parse = (lines: string[]) =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, stdout, stderr, parse };
}

describe('createJsonLogger', () => {
  it('writes one JSON line per entry with severity, message and call fields', () => {
    const { logger, stdout, parse } = capture();

    logger.info('call completed', {
      callId: '0190-abc',
      functionName: 'sendMail',
      attempt: 2,
    });

    expect(stdout).toHaveLength(1);
    expect(stdout[0]?.endsWith('\n')).toBe(true);
    expect(stdout[0]?.trimEnd()).not.toContain('\n');
    expect(parse(stdout)[0]).toEqual({
      severity: 'INFO',
      message: 'call completed',
      callId: '0190-abc',
      functionName: 'sendMail',
      attempt: 2,
    });
  });

  it('maps each level to its Cloud Logging severity and stream', () => {
    const { logger, stdout, stderr, parse } = capture({ level: 'debug' });

    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    expect(parse(stdout).map((entry) => entry.severity)).toEqual([
      'DEBUG',
      'INFO',
    ]);
    expect(parse(stderr).map((entry) => entry.severity)).toEqual([
      'WARNING',
      'ERROR',
    ]);
  });

  it('drops entries below the configured level, info by default', () => {
    const { logger, stdout } = capture();

    logger.debug('hidden');

    expect(stdout).toEqual([]);
  });

  it('turns a traceparent into the trace fields Cloud Logging reads', () => {
    const { logger, stdout, parse } = capture();

    logger.info('traced', { traceparent: TRACEPARENT });

    const [entry] = parse(stdout);
    expect(entry).toEqual({
      severity: 'INFO',
      message: 'traced',
      'logging.googleapis.com/trace':
        'projects/demo-project/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it('keeps the raw traceparent when no project is known', () => {
    const previous = process.env.GOOGLE_CLOUD_PROJECT;
    delete process.env.GOOGLE_CLOUD_PROJECT;
    try {
      const stdout: string[] = [];
      const logger = createJsonLogger({
        stdout: { write: (text: string) => stdout.push(text) },
      });

      logger.info('traced', { traceparent: TRACEPARENT });

      const entry = JSON.parse(stdout[0] ?? '{}');
      expect(entry.traceparent).toBe(TRACEPARENT);
      expect(entry).not.toHaveProperty(['logging.googleapis.com/trace']);
    } finally {
      if (previous !== undefined) process.env.GOOGLE_CLOUD_PROJECT = previous;
    }
  });

  it('ignores a traceparent with all-zero ids', () => {
    const { logger, stdout, parse } = capture();

    logger.info('untraced', {
      traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    });

    expect(parse(stdout)[0]).not.toHaveProperty([
      'logging.googleapis.com/trace',
    ]);
  });

  it('logs an error with its name, code, message, stack and cause', () => {
    const { logger, stderr, parse } = capture();
    const cause = new Error('socket closed');
    const error = new DispatchError('BAD_SIGNATURE', 'open frame: bad mac', {
      cause,
    });

    logger.error('refused', { error });

    const logged = parse(stderr)[0]?.error as Record<string, unknown>;
    expect(logged).toMatchObject({
      name: 'DispatchError',
      code: 'BAD_SIGNATURE',
      message: 'open frame: bad mac',
      cause: { name: 'Error', message: 'socket closed' },
    });
    expect(logged.stack).toContain('open frame: bad mac');
  });

  it('writes fields JSON cannot hold without throwing', () => {
    const { logger, stdout, parse } = capture();
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;

    logger.info('odd fields', {
      big: 12345678901234567890n,
      bytes: new Uint8Array(2048),
      cycle,
      nan: Number.NaN,
      when: new Date(Number.NaN),
    });

    expect(parse(stdout)[0]).toMatchObject({
      big: '12345678901234567890n',
      bytes: '[2048 bytes]',
      cycle: { name: 'loop', self: '[circular]' },
      nan: 'NaN',
      when: 'Invalid Date',
    });
  });
});
