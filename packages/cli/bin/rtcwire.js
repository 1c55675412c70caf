#!/usr/bin/env node
// Launcher committed in source form so npm can link the `rtcwire` bin at install time,
// before `prepare` has compiled dist/.
import { runCli } from '../dist/cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
