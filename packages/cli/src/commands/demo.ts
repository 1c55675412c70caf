import type { Command } from '../command.js';

/** Placeholder until the recorder lands (issue 6); a later change replaces this file. */
export const demoCommand: Command = {
  name: 'demo',
  summary: "record headless Chromium's fake camera and microphone to disk (arrives with issue 6)",
  usage: 'Usage: rtcwire demo\n\nRecording arrives with the recorder (issue 6).\n',
  async run(_args, io) {
    io.stdout.write('rtcwire demo: recording is not implemented yet (it arrives with the recorder, issue 6).\n');
    return 0;
  },
};
