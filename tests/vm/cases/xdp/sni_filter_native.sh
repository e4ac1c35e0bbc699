#!/usr/bin/env bash
# sni_filter.sh with the classifiers attached in native (veth driver) mode.
MODE=native exec "$(dirname "$0")/sni_filter.sh"
