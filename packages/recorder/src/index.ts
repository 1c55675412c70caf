export { type ContainerKind, chooseContainer } from './container-sink.js';
export { Recorder, type RecorderOptions } from './recorder.js';
export { TrackTimeline, alignOnSenderClock, anchorOnArrival, anchorOnSenderClock } from './timeline.js';
export type { RecorderCodec, RecorderFrame, RecorderOutput, RecorderTrack, TrackCounters } from './types.js';
