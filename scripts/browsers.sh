#!/usr/bin/env bash
# Headless Chromium and its WebDriver, from Debian's packages, for the browser tests. Idempotent.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then echo "browsers: need root to install chromium and chromium-driver" >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
echo "browsers: $(chromium --version 2>/dev/null | head -1)"
