export {
  CHROMIUM_PATH,
  ChromePeer,
  ChromeSession,
  type LaunchOptions,
  type PageStateSnapshot,
  type PeerOptions,
  type StatsEntry,
} from './chrome.js';
export { type ChromeFlagOptions, chromeFlags } from './flags.js';
export { type PageServer, startPageServer } from './page-server.js';
