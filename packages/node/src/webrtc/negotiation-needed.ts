import type { SignalingState } from '@rtcwire/peer';

/** What the scheduler needs from its connection. */
export interface NegotiationHost {
  /** Settles once the engine exists (sockets bound, certificate made). */
  readonly ready: Promise<void>;
  isClosed(): boolean;
  signalingState(): SignalingState;
  /** webrtc-pc §4.7.3 "check if negotiation is needed" on the current state. */
  isNeeded(): boolean;
  /** Fire `negotiationneeded` (the event and `onnegotiationneeded`). */
  fire(): void;
}

/**
 * W3C webrtc-pc §4.7.3 "update the negotiation-needed flag": changes queue one check in a task (several
 * synchronous changes share it); the check fires `negotiationneeded` only when negotiation is needed, the
 * signaling state is `stable`, the connection is open and the flag was not already set. A check that finds
 * nothing to do clears the flag. When signaling returns to `stable` and the flag was set both before and after
 * the check, the event fires again (something changed while the last negotiation was under way).
 */
export class NegotiationNeededFlag {
  private flagged = false;
  private queued = false;
  private stableRecheck = false;

  constructor(private readonly host: NegotiationHost) {}

  /** The [[NegotiationNeeded]] slot. */
  get value(): boolean {
    return this.flagged;
  }

  /** Something that may need negotiation changed. */
  update(): void {
    if (this.host.isClosed() || this.queued) return;
    this.queued = true;
    // Browsers queue a task; before the engine exists there is nothing to check yet, so wait for it too.
    this.host.ready.then(
      () => setTimeout(() => this.run(), 0),
      () => {
        this.queued = false;
      },
    );
  }

  /** webrtc-pc §4.4.1.6 "set the session description": signaling is now `stable`. */
  signalingStable(): void {
    this.stableRecheck = true;
    this.update();
  }

  private run(): void {
    this.queued = false;
    const refire = this.stableRecheck;
    this.stableRecheck = false;
    if (this.host.isClosed()) return;
    // Not stable: the flag is updated again when signaling returns to stable.
    if (this.host.signalingState() !== 'stable') return;
    if (!this.host.isNeeded()) {
      this.flagged = false;
      return;
    }
    if (this.flagged && !refire) return;
    this.flagged = true;
    this.host.fire();
  }
}
