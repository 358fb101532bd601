import type { CloudEvent } from '@google-cloud/functions-framework';
import { readPubSubMessage } from './pubsub-message.ts';
import { malformedRequest, type ReceivedFrame } from './received-frame.ts';

/** The CloudEvent type a Pub/Sub trigger delivers. */
export const PUBSUB_MESSAGE_PUBLISHED =
  'google.cloud.pubsub.topic.v1.messagePublished';

const SOURCE = 'pubsub-cloudevent';

/**
 * Takes the frame out of a `messagePublished` CloudEvent, whose data is
 * a Pub/Sub push body. Throws `MALFORMED_FRAME` for another event type or
 * data without a message.
 */
export function readCloudEvent(event: CloudEvent<unknown>): ReceivedFrame {
  if (event.type !== undefined && event.type !== PUBSUB_MESSAGE_PUBLISHED) {
    throw malformedRequest(
      SOURCE,
      `event ${event.id} has type "${event.type}", ` +
        `expected "${PUBSUB_MESSAGE_PUBLISHED}"`,
    );
  }
  return readPubSubMessage(eventData(event), SOURCE);
}

// A binary-mode event with a non-JSON content type reaches the handler as
// text or bytes; a push body the framework did not convert arrives as the
// event itself.
function eventData(event: CloudEvent<unknown>): unknown {
  const data = event.data;
  if (data === undefined && 'message' in event) return event;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    return parseJson(data.toString());
  }
  return data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
