import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH, ChromeSession } from '@rtcwire/interop-chrome';
import { type RecordingSummary, WhipServer } from '@rtcwire/server';
import { choiceOption, intOption, parseArgs } from '../args.js';
import { type CliIo, type Command, CommandError, UsageError } from '../command.js';
import { describeSummary } from './record.js';

const USAGE = `Usage: rtcwire demo [--seconds N] [--out DIR] [--video-codec VP8|VP9|H264|AV1]

The recorder demo: starts the WHIP recorder on 127.0.0.1, launches headless Chromium (installing the
Debian packages chromium and ffmpeg first when missing), publishes its fake camera and microphone for
N seconds (default 10) over WHIP, stops, and prints the file it wrote with its streams and duration as
ffprobe reports them.
`;

/** The repo's installer for Debian packages (chromium, ffmpeg, …), found relative to this file. */
function systemDepsScript(): string | undefined {
  const p = fileURLToPath(new URL('../../../../scripts/install-system-deps.sh', import.meta.url));
  return existsSync(p) ? p : undefined;
}

function ensureSystemPackages(io: CliIo): void {
  if (existsSync(CHROMIUM_PATH) && existsSync('/usr/bin/ffprobe')) return;
  const script = systemDepsScript();
  if (!script)
    throw new CommandError(`Chromium or ffmpeg is missing: install them with 'apt-get install chromium ffmpeg'`);
  io.stderr.write('rtcwire demo: installing Chromium and ffmpeg (Debian packages, 1–2 minutes)…\n');
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(CHROMIUM_PATH))
    throw new CommandError(`installing system packages failed (${script} exited ${r.status})`);
}

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  nb_read_packets?: string;
}

function probe(file: string): { durationS: number; streams: ProbedStream[] } {
  const json = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(json) as { streams: ProbedStream[]; format: { duration?: string } };
  return { durationS: Number(parsed.format.duration ?? Number.NaN), streams: parsed.streams };
}

export const demoCommand: Command = {
  name: 'demo',
  summary: "record headless Chromium's fake camera and microphone over WHIP and print what was written",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { seconds: true, out: true, 'video-codec': true });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    const seconds = intOption(parsed, 'seconds', 10, 3600);
    const codec = choiceOption(parsed, 'video-codec', ['VP8', 'VP9', 'H264', 'AV1'] as const, 'VP8');
    const outDir = resolve(parsed.values.get('out') ?? 'recordings');
    ensureSystemPackages(io);

    const ended: RecordingSummary[] = [];
    const server = await WhipServer.start({
      host: '127.0.0.1',
      port: 0,
      outDir,
      codecs: { video: codec },
      onSessionEnd: ({ summary }) => ended.push(summary),
    });
    let chrome: ChromeSession | undefined;
    try {
      io.stderr.write(`rtcwire demo: recorder listening at ${server.url}/whip; launching headless Chromium…\n`);
      chrome = await ChromeSession.launch();
      const page = await chrome.createPeer({
        video: true,
        audio: true,
        direction: 'sendonly',
        videoCodec: `video/${codec}`,
      });
      const resource = await page.whipPublish(`${server.url}/whip`);
      await page.waitForConnectionState('connected', 20_000);
      for (let s = 1; s <= seconds; s++) {
        await new Promise((r) => setTimeout(r, 1000));
        io.stderr.write(`\rrtcwire demo: Chromium publishing ${codec} + Opus over WHIP … ${s}/${seconds} s`);
      }
      io.stderr.write('\n');
      const res = await fetch(new URL(resource, server.url), { method: 'DELETE' });
      if (!res.ok) throw new CommandError(`WHIP DELETE failed: ${res.status} ${await res.text()}`);
    } finally {
      await chrome?.close();
      await server.close();
    }
    const summary = ended[0];
    if (!summary) throw new CommandError('no recording was made (the WHIP session never started)');
    const info = probe(summary.file);
    io.stdout.write(`rtcwire demo: wrote ${describeSummary(summary)}\n`);
    io.stdout.write(`ffprobe: ${summary.file}: duration ${info.durationS.toFixed(2)} s\n`);
    for (const st of info.streams) {
      const detail = st.codec_type === 'video' ? `${st.width}x${st.height}` : `${st.sample_rate} Hz`;
      io.stdout.write(`  ${st.codec_type} ${st.codec_name} ${detail}, ${st.nb_read_packets} packets\n`);
    }
    return 0;
  },
};
