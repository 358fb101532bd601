import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from './worker.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('startWorker', () => {
  const started: Worker[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((worker) => worker.stop()));
  });

  it('serves an HTTP function from a .ts module with the given env', async () => {
    const worker = await startWorker({
      source: fixture('hello-http.ts'),
      target: 'hello',
      signatureType: 'http',
      env: { GREETING: 'hello from the fixture' },
    });
    started.push(worker);

    const response = await fetch(`${worker.url}/some/path`);

    expect(worker.url).toBe(`http://127.0.0.1:${worker.port}`);
    expect(await response.json()).toEqual({
      greeting: 'hello from the fixture',
      path: '/some/path',
    });
    expect(worker.output()).toContain('Function: hello');
  });

  it('serves a CloudEvent function that fails with a 5xx', async () => {
    const worker = await startWorker({
      source: fixture('record-cloudevent.ts'),
      target: 'record',
      signatureType: 'cloudevent',
    });
    started.push(worker);

    const send = (data: object) =>
      fetch(worker.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': 'event-1',
          'ce-specversion': '1.0',
          'ce-source': '//test',
          'ce-type': 'test.event',
        },
        body: JSON.stringify(data),
      });

    expect((await send({})).status).toBeLessThan(300);
    expect((await send({ fail: true })).status).toBeGreaterThanOrEqual(500);
  });

  it('reports a module that fails to load, with the framework output', async () => {
    const failure = startWorker({
      source: fixture('broken-import.ts'),
      target: 'anything',
      signatureType: 'http',
    });

    await expect(failure).rejects.toThrow(
      /exited before it listened[\s\S]*fails while it is imported/,
    );
  });

  it('stop() closes the port', async () => {
    const worker = await startWorker({
      source: fixture('hello-http.ts'),
      target: 'hello',
      signatureType: 'http',
    });

    await worker.stop();

    await expect(fetch(worker.url)).rejects.toThrow();
  });
});
