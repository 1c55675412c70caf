import { formatAddress, secureRandom } from '@rtcwire/common';
import { UdpTransport, monotonicClock, runEndpoint } from '@rtcwire/node';
import { intOption, parseArgs, parseServer } from '../args.js';
import { type Command, CommandError, UsageError } from '../command.js';
import { resolveHost } from '../resolve-host.js';
import { type BindingEvent, BindingClient } from '../stun-binding.js';

const USAGE = `Usage: rtcwire stun HOST:PORT|stun:HOST[:PORT] [--json] [--timeout MS]

Send a STUN Binding request (RFC 8489) over UDP and print the server-reflexive (mapped) address.

Options:
  --json         print {"mapped":"IP:PORT","rttMs":N}
  --timeout MS   give up after MS milliseconds (default 5000)
`;

export const stunCommand: Command = {
  name: 'stun',
  summary: 'ask a STUN server for this host’s mapped address (Binding request over UDP)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { json: false, timeout: true });
    if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument '${parsed.positionals[1]}'`);
    const { host, port } = parseServer(parsed.positionals[0], 'stun');
    const timeoutMs = intOption(parsed, 'timeout', 5000);
    const server = await resolveHost(host, port);
    const transport = await UdpTransport.bind({ family: server.family });
    let driver: ReturnType<typeof runEndpoint<BindingEvent>> | undefined;
    try {
      const now = monotonicClock.now();
      const client = new BindingClient(now, transport.local, server, secureRandom, timeoutMs);
      driver = runEndpoint(client, [transport]);
      const result = await driver.waitFor(() => true);
      if (result.type === 'failed') {
        throw new CommandError(`${formatAddress(server)}: ${result.reason} — is a STUN server running there?`);
      }
      const rttMs = Math.round(result.rttMs * 10) / 10;
      if (parsed.flags.has('json')) {
        io.stdout.write(`${JSON.stringify({ mapped: formatAddress(result.mapped), rttMs })}\n`);
      } else {
        io.stdout.write(
          `mapped address ${formatAddress(result.mapped)} (round trip ${rttMs} ms, via ${formatAddress(server)})\n`,
        );
      }
      return 0;
    } finally {
      if (driver) await driver.close();
      else await transport.close();
    }
  },
};
