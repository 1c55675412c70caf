import type { Direction } from '@rtcwire/sdp';

const SENDS: Record<Direction, boolean> = { sendrecv: true, sendonly: true, recvonly: false, inactive: false };
const RECEIVES: Record<Direction, boolean> = { sendrecv: true, sendonly: false, recvonly: true, inactive: false };

export function makeDirection(send: boolean, recv: boolean): Direction {
  if (send) return recv ? 'sendrecv' : 'sendonly';
  return recv ? 'recvonly' : 'inactive';
}

export function sends(d: Direction): boolean {
  return SENDS[d];
}

export function receives(d: Direction): boolean {
  return RECEIVES[d];
}

/** The offerer's direction seen from our side: what it sends we may receive, and the reverse. */
export function reverseDirection(d: Direction): Direction {
  return makeDirection(RECEIVES[d], SENDS[d]);
}

/** RFC 9429 §5.3.1: the answer's direction is the offer's reversed, limited by the transceiver's own. */
export function answerDirection(offered: Direction, transceiver: Direction): Direction {
  const r = reverseDirection(offered);
  return makeDirection(SENDS[r] && SENDS[transceiver], RECEIVES[r] && RECEIVES[transceiver]);
}
