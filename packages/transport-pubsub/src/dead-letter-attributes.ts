import {
  CALL_ID_ATTRIBUTE,
  type DeadLetter,
  FUNCTION_ATTRIBUTE,
} from '@cloud-functions-dispatch/core';

/** Attribute with the reason the call was dropped, such as `permanent`. */
export const DEAD_LETTER_REASON_ATTRIBUTE = 'dispatch.reason';
/** Attribute with the delivery attempt that dropped it, as digits. */
export const DEAD_LETTER_ATTEMPT_ATTRIBUTE = 'dispatch.attempt';
/** Attribute with the error's name and message, cut to 1,024 bytes. */
export const DEAD_LETTER_ERROR_ATTRIBUTE = 'dispatch.error';

// Pub/Sub refuses attribute values over 1,024 bytes.
const MAX_ATTRIBUTE_BYTES = 1024;
const ELLIPSIS = '…';

/**
 * The attributes a dead letter is published with: function and call id
 * (when the frame could be opened), reason, attempt and error.
 */
export function deadLetterAttributes(
  letter: DeadLetter,
): Record<string, string> {
  const attributes: Record<string, string> = {
    [DEAD_LETTER_REASON_ATTRIBUTE]: letter.reason,
    [DEAD_LETTER_ATTEMPT_ATTRIBUTE]: String(letter.attempt),
  };
  if (letter.functionName !== undefined) {
    attributes[FUNCTION_ATTRIBUTE] = letter.functionName;
  }
  if (letter.callId !== undefined) {
    attributes[CALL_ID_ATTRIBUTE] = letter.callId;
  }
  if (letter.error !== undefined) {
    attributes[DEAD_LETTER_ERROR_ATTRIBUTE] = truncateUtf8(
      describeError(letter.error),
      MAX_ATTRIBUTE_BYTES,
    );
  }
  return attributes;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.name}: ${error.message}`;
}

/**
 * Cuts `text` to at most `maxBytes` of UTF-8, on a character boundary,
 * ending with an ellipsis when anything was cut.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += character.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
