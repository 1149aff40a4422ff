#!/usr/bin/env bash
# Make sure a Java runtime (17+) is present for the Spark tests; install Debian's if missing.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
  echo "install-java: $(java -version 2>&1 | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "install-java: no java and cannot install it; Spark tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
java -version
