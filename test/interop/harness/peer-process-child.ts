/**
 * Child side of peer-process.ts: one rtcwire RTCPeerConnection in its own process, driven by JSON lines on
 * stdin ({ id, cmd, ... }) and answering with JSON lines on stdout ({ id, ok, ... } or { id, error }).
 * Commands: `answer` (config + offer → answer SDP after gathering), `connected` (wait for the connection),
 * `stats` (getStats as plain objects), `close` (close and exit).
 */
import { createInterface } from 'node:readline';
import { RTCPeerConnection, type RTCConfiguration } from 'rtcwire';

interface Request {
  id: number;
  cmd: 'answer' | 'connected' | 'stats' | 'close';
  config?: RTCConfiguration;
  offer?: string;
  timeoutMs?: number;
}

let pc: RTCPeerConnection | undefined;

function reply(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function handle(r: Request): Promise<Record<string, unknown>> {
  switch (r.cmd) {
    case 'answer': {
      pc = new RTCPeerConnection(r.config ?? {});
      await pc.setRemoteDescription({ type: 'offer', sdp: r.offer ?? '' });
      await pc.setLocalDescription();
      await pc.waitForGatheringComplete();
      return { sdp: pc.localDescription?.sdp ?? '' };
    }
    case 'connected':
      await pc?.waitForConnectionState('connected', r.timeoutMs ?? 15_000);
      return {};
    case 'stats':
      return { stats: pc ? [...(await pc.getStats()).values()] : [] };
    case 'close':
      pc?.close();
      setImmediate(() => process.exit(0));
      return {};
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const r = JSON.parse(line) as Request;
  handle(r).then(
    (result) => reply({ id: r.id, ok: true, ...result }),
    (err: unknown) => reply({ id: r.id, error: String(err) }),
  );
});
process.stdin.on('end', () => {
  pc?.close();
  process.exit(0);
});
