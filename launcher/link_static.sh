#!/bin/sh
# RULE_LAUNCH_LINK of jailkeeper-launch (static build only): the imported OpenSSL and yaml-cpp
# targets name shared libraries, which `-static` cannot link; use the static archives next to
# them instead, then run the link command unchanged otherwise. Build-time only.
for arg; do
  shift
  case $arg in
    */libssl.so* | */libcrypto.so* | */libyaml-cpp.so*) arg="${arg%%.so*}.a" ;;
  esac
  set -- "$@" "$arg"
done
exec "$@"
