export {
  type DtlsCore,
  DtlsPeerEndpoint,
  type DtlsServerEvent,
  DtlsServerEndpoint,
  type DtlsServerEndpointOptions,
} from './dtls-endpoint.js';
export { DtlsSession } from './dtls-session.js';
export { type DtlsConnectOptions, type DtlsListenOptions, DtlsListener, connectDtls } from './dtls-udp.js';
