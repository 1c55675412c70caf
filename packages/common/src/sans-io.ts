import type { Datagram } from './address.js';
import type { Millis } from './time.js';

/**
 * The contract of a datagram-speaking sans-IO core (ICE agent, TURN client, STUN client, a whole
 * peer). A driver (the node layer, or netsim in tests) owns sockets and the clock and runs:
 *
 *   loop:
 *     on datagram  -> core.handleDatagram(now, d)
 *     on timer     -> core.handleTimeout(now)
 *     then drain   -> while (d = core.pollTransmit()) send(d)
 *                     while (e = core.pollEvent())   deliver(e)
 *                     arm one timer at core.pollTimeout()
 *
 * Rules: `handle*` never throws for remote input (it drops and counts); `poll*` never blocks;
 * `pollTimeout()` returns an absolute time in the caller's millisecond clock, or undefined when
 * nothing is scheduled. Calling `handleTimeout(now)` early or late is always safe.
 */
export interface DatagramEndpoint<Event> {
  handleDatagram(now: Millis, datagram: Datagram): void;
  handleTimeout(now: Millis): void;
  pollTransmit(): Datagram | undefined;
  pollEvent(): Event | undefined;
  pollTimeout(): Millis | undefined;
}
