export {
  type DtlsCore,
  DtlsPeerEndpoint,
  DtlsServerEndpoint,
  type DtlsServerEndpointOptions,
  type DtlsServerEvent,
} from './dtls-endpoint.js';
export { DtlsSession } from './dtls-session.js';
export { connectDtls, type DtlsConnectOptions, DtlsListener, type DtlsListenOptions } from './dtls-udp.js';
