import { resolve } from 'node:path';
import { WhipServer, type RecordingSummary } from '@rtcwire/server';
import { choiceOption, parseArgs, parseHostPort } from '../args.js';
import { type CliIo, type Command, UsageError } from '../command.js';

const USAGE = `Usage: rtcwire record [--listen HOST:PORT] [--out DIR] [--token T] [--video-codec VP8|VP9|H264|AV1]
                      [--no-nack] [--no-twcc] [--json]

Run a WHIP ingest server (RFC 9725) that records every publisher to a file:
VP8/VP9/AV1 + Opus → .webm, H.264 + Opus → .mkv, Opus alone → .ogg.
Publish from a browser at http://HOST:PORT/, or with any WHIP client (OBS, GStreamer whipsink) to
http://HOST:PORT/whip. One line is printed per session start and end; Ctrl-C finalizes open recordings.

Options:
  --listen HOST:PORT   where to listen (default 127.0.0.1:8080)
  --out DIR            where recordings go (default ./recordings)
  --token T            require "Authorization: Bearer T" from publishers
  --video-codec NAME   accept only this video codec (default: the publisher's first choice)
  --no-nack            do not negotiate NACK/RTX (lost packets stay lost; a PLI asks for a keyframe)
  --no-twcc            do not negotiate transport-wide congestion control feedback (the publisher's
                       bandwidth estimate then cannot ramp up)
  --json               print session lines as JSON
`;

export function describeSummary(s: RecordingSummary): string {
  const tracks = Object.entries(s.tracks).map(([mid, t]) => {
    const unit = t.kind === 'audio' ? 'packets' : 'frames';
    const dropped = t.dropped.waitingForKeyframe + t.dropped.bufferOverflow;
    const net = s.network[mid];
    const repair = net
      ? `; network: ${net.packetsReceived} packets, ${net.packetsLost} lost, ${net.nackCount} NACKs, ${net.retransmittedPacketsReceived} retransmitted, ${net.pliCount} PLIs`
      : '';
    return `${t.kind} ${t.codec}: ${t.framesWritten} ${unit} written (received ${t.framesReceived}, lost ${t.framesLost}, dropped ${dropped}${repair})`;
  });
  return `${s.file}, ${(s.durationMs / 1000).toFixed(1)} s, ${tracks.join('; ')}`;
}

export async function startRecorder(
  options: {
    host: string;
    port: number;
    outDir: string;
    token?: string;
    videoCodec?: string;
    json: boolean;
    rtp?: { nack?: boolean; twcc?: boolean };
  },
  io: CliIo,
): Promise<WhipServer> {
  return WhipServer.start({
    host: options.host,
    port: options.port,
    outDir: options.outDir,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.videoCodec !== undefined ? { codecs: { video: options.videoCodec } } : {}),
    ...(options.rtp ? { rtp: options.rtp } : {}),
    onSessionStart: ({ id, file }) =>
      io.stdout.write(
        options.json
          ? `${JSON.stringify({ event: 'start', session: id, file })}\n`
          : `session ${id} started → ${file}\n`,
      ),
    onSessionEnd: ({ id, reason, summary }) =>
      io.stdout.write(
        options.json
          ? `${JSON.stringify({ event: 'end', session: id, reason, ...summary })}\n`
          : `session ${id} ended (${reason}): ${describeSummary(summary)}\n`,
      ),
  });
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'run a WHIP ingest server that records publishers to WebM/Matroska/Ogg',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, {
      listen: true,
      out: true,
      token: true,
      'video-codec': true,
      json: false,
      'no-nack': false,
      'no-twcc': false,
    });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    const { host, port } = parseHostPort(parsed.values.get('listen') ?? '127.0.0.1:8080', '--listen HOST:PORT');
    const videoCodec = parsed.values.has('video-codec')
      ? choiceOption(parsed, 'video-codec', ['VP8', 'VP9', 'H264', 'AV1'] as const, 'VP8')
      : undefined;
    const outDir = resolve(parsed.values.get('out') ?? 'recordings');
    const token = parsed.values.get('token');
    const server = await startRecorder(
      {
        host,
        port,
        outDir,
        json: parsed.flags.has('json'),
        rtp: { nack: !parsed.flags.has('no-nack'), twcc: !parsed.flags.has('no-twcc') },
        ...(token !== undefined ? { token } : {}),
        ...(videoCodec ? { videoCodec } : {}),
      },
      io,
    );
    io.stderr.write(
      `rtcwire record: WHIP endpoint ${server.url}/whip (publisher page ${server.url}/), recordings in ${outDir}. Ctrl-C to stop.\n`,
    );
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.stderr.write('rtcwire record: stopping, finalizing open recordings…\n');
    await server.close();
    return 0;
  },
};
