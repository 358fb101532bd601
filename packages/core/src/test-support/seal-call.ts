import type { CallOptions } from '../call-options.ts';
import { createDispatcher } from '../dispatcher.ts';
import type { DispatcherOptions } from '../dispatcher-options.ts';
import type { OutgoingMessage } from '../transport.ts';
import { createCaptureTransport } from './recorders.ts';

/**
 * Sends one call of `name` through a throwaway dispatcher with `options`
 * (give it `signing`) and returns the message its transport got.
 */
export async function sealCall(
  name: string,
  args: unknown[],
  options: DispatcherOptions & { call?: CallOptions } = {},
): Promise<OutgoingMessage> {
  const { call = {}, ...dispatcherOptions } = options;
  const transport = createCaptureTransport();
  const sender = createDispatcher({ transport, ...dispatcherOptions });
  const fn = sender.dispatch(name, (..._args: unknown[]) => {});
  await fn.with(call)(...args);
  await sender.close();

  const message = transport.sent[0];
  if (message === undefined) throw new Error(`${name} was not sent`);
  return message;
}
