export { TurnClient } from './client.js';
export { refreshDelayMs } from './results.js';
export { CHANNEL_REFRESH_MS, PERMISSION_REFRESH_MS } from './peers.js';
export {
  type TurnClientOptions,
  type TurnClientState,
  TurnError,
  type TurnErrorCode,
  type TurnEvent,
  type TurnOperation,
  type TurnTransport,
} from './types.js';
