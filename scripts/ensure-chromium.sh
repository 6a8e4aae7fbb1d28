#!/usr/bin/env bash
# Page tests drive Debian's Chromium with Japanese fonts (fonts-noto-cjk), so pages with Japanese text render as
# an analyst sees them; install what is missing (needs root or sudo).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! fc-list :lang=ja 2>/dev/null | grep -q .; then missing+=(fonts-noto-cjk); fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian's ${missing[*]} for the browser tests..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "${missing[*]} missing and this user cannot install it: run 'apt-get install ${missing[*]}' as root." >&2
    exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium >/dev/null
fc-list :lang=ja | grep -q .
