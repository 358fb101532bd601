import type { Message, Subscription } from '@google-cloud/pubsub';

/**
 * Streams from `subscription` until `count` messages have arrived, acks
 * them, closes the stream and resolves with them in arrival order. Rejects
 * after `timeoutMs` (default 10,000), naming how many arrived.
 */
export function receiveMessages(
  subscription: Subscription,
  count: number,
  timeoutMs = 10_000,
): Promise<Message[]> {
  const received: Message[] = [];

  return new Promise<Message[]>((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      subscription.removeAllListeners('message');
      subscription.removeAllListeners('error');
      const closed = subscription.close();
      closed.then(() => (error ? reject(error) : resolve(received)), reject);
    };

    const timer = setTimeout(() => {
      finish(
        new Error(
          `receiveMessages: ${received.length} of ${count} messages ` +
            `arrived on ${subscription.name} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);

    subscription.on('message', (message: Message) => {
      message.ack();
      received.push(message);
      if (received.length === count) finish();
    });
    subscription.once('error', (error: Error) => finish(error));
  });
}
