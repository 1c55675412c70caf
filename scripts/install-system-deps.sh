#!/usr/bin/env bash
# Installs the Debian packages that rtcwire's real-peer tests and the demo need, when any is missing:
# chromium (browser peer), coturn (STUN/TURN server), ffmpeg (SRTP peer, file checks), openssl (DTLS
# peer), tshark (wire captures), iproute2 (network namespaces). Safe to run again: it does nothing when
# everything is present. Needs root (or sudo) and Debian's package mirror.
set -euo pipefail

declare -A need=(
  [chromium]=/usr/bin/chromium
  [coturn]=/usr/bin/turnserver
  [ffmpeg]=/usr/bin/ffmpeg
  [openssl]=/usr/bin/openssl
  [tshark]=/usr/bin/tshark
  [iproute2]=/usr/sbin/ip
)
missing=()
for pkg in "${!need[@]}"; do
  [ -x "${need[$pkg]}" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "rtcwire: missing system packages (${missing[*]}) and not root; install them with apt-get." >&2
    exit 1
  fi
fi
echo "rtcwire: installing system packages for the tests: ${missing[*]} (apt-get, 1-2 minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
$sudo apt-get update -qq -o DPkg::Lock::Timeout=600 >&2
$sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
for pkg in "${missing[@]}"; do
  if [ ! -x "${need[$pkg]}" ]; then
    echo "rtcwire: $pkg did not install (${need[$pkg]} missing)" >&2
    exit 1
  fi
done
echo "rtcwire: system packages ready" >&2
