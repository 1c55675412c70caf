/** RFC 8840 trickle-ice-sdpfrag bodies: ICE credentials, candidates and end-of-candidates. */
export interface SdpFragment {
  iceUfrag?: string;
  icePwd?: string;
  candidates: string[];
  endOfCandidates: boolean;
}

export function parseSdpFragment(text: string): SdpFragment {
  const out: SdpFragment = { candidates: [], endOfCandidates: false };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('a=ice-ufrag:')) out.iceUfrag = line.slice('a=ice-ufrag:'.length);
    else if (line.startsWith('a=ice-pwd:')) out.icePwd = line.slice('a=ice-pwd:'.length);
    else if (line.startsWith('a=candidate:')) out.candidates.push(line.slice(2));
    else if (line === 'a=end-of-candidates') out.endOfCandidates = true;
  }
  return out;
}
