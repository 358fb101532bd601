// How the cbor codec spots, in what cbor-x wrote, that a string may have
// held a lone surrogate, without a call per string (see cbor-scan.ts).

const REPLACEMENT_CHARACTER = Buffer.from([0xef, 0xbf, 0xbd]);
const SHORT_OUTPUT = 256;

/**
 * True when CBOR written by cbor-x may hold a string with a lone
 * surrogate. cbor-x writes one either as the replacement character
 * (EF BF BD) or, in short strings, as its three-byte surrogate form
 * (ED A0-BF 80-BF). Other bytes can look the same (a real replacement
 * character, binary data): the caller then checks the strings.
 */
export function mayHoldLoneSurrogate(bytes: Buffer): boolean {
  // Two native searches cost more than a look at a few hundred bytes.
  if (bytes.length <= SHORT_OUTPUT) return hasSurrogateTrace(bytes);
  for (
    let at = bytes.indexOf(0xed);
    at >= 0;
    at = bytes.indexOf(0xed, at + 1)
  ) {
    if (isSurrogateForm(bytes, at)) return true;
  }
  return bytes.includes(REPLACEMENT_CHARACTER);
}

function hasSurrogateTrace(bytes: Buffer): boolean {
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === 0xed && isSurrogateForm(bytes, at)) return true;
    if (byte === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd) {
      return true;
    }
  }
  return false;
}

/** ED A0-BF 80-BF: a surrogate code unit written as if it were a character. */
function isSurrogateForm(bytes: Buffer, at: number): boolean {
  const second = bytes[at + 1] ?? 0;
  const third = bytes[at + 2] ?? 0;
  return second >= 0xa0 && second <= 0xbf && third >= 0x80 && third <= 0xbf;
}
