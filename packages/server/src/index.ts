export { chooseRecordingCodecs } from './codec-choice.js';
export {
  type NetworkCounters,
  RecordingSession,
  type RecordingSessionOptions,
  type RecordingSummary,
} from './recording-session.js';
export { parseSdpFragment, type SdpFragment } from './sdpfrag.js';
export { WhipServer, type WhipServerOptions } from './whip-server.js';
