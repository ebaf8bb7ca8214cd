#!/usr/bin/env bash
# Install what the checks and the docs need from Debian when it is missing: Java 17 (for the
# HermiT reasoner and the OWL API checker), the OWL API itself (libowlapi-java), Graphviz
# (diagrams in the docs) and Chromium (the tests screenshot the built site).
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
[ -e /usr/share/java/owlapi-distribution.jar ] || need+=(libowlapi-java)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install ${need[*]} (needs root and apt-get)" >&2
  exit 1
fi
echo "system-deps: installing ${need[*]} from Debian ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
