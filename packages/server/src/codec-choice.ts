import { type CodecCapability, codecMatches, DEFAULT_AUDIO_CODECS, DEFAULT_VIDEO_CODECS } from '@rtcwire/peer';
import { mediaCodecs, parseSdp } from '@rtcwire/sdp';

/**
 * A recorder writes one codec per track, so the answer must pin one: the first codec of the offer
 * (the publisher's preference) that we support, or the first of `preferred` that the offer has.
 */
export function chooseRecordingCodecs(
  offerSdp: string,
  preferred?: { video?: string; audio?: string },
): { audio: CodecCapability[]; video: CodecCapability[] } {
  const offer = parseSdp(offerSdp);
  const pick = (
    kind: 'audio' | 'video',
    caps: readonly CodecCapability[],
    want: string | undefined,
  ): CodecCapability[] => {
    const offered = offer.media.filter((m) => m.kind === kind).flatMap((m) => mediaCodecs(m));
    const order = want ? caps.filter((c) => c.name.toUpperCase() === want.toUpperCase()) : caps;
    for (const remote of offered) {
      const mine = order.find((c) => codecMatches(c, remote));
      if (mine) return [mine];
    }
    return [];
  };
  return {
    audio: pick('audio', DEFAULT_AUDIO_CODECS, preferred?.audio),
    video: pick('video', DEFAULT_VIDEO_CODECS, preferred?.video),
  };
}
