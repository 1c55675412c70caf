export { monotonicClock, nodeTimers, type TimerScheduler } from './clock.js';
export { Driver, runEndpoint, type DriverOptions } from './driver.js';
export { NodeIceAgent, type NodeIceAgentOptions } from './ice-agent.js';
export { listLocalAddresses, type InterfaceFilter, type LocalAddress } from './interfaces.js';
export { MdnsResolver, MdnsTimeoutError, type MdnsResolverOptions } from './mdns-resolver.js';
export { StreamTransport, type StreamConnectOptions } from './stream-transport.js';
export { type Transport, type TransportHandlers, routeKey } from './transport.js';
export { UdpTransport, type UdpBindOptions } from './udp-transport.js';
export * from './dtls/index.js';
