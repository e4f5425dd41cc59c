#!/usr/bin/env bash
# Set up (if needed) and start regbot: the Slack bot when Slack credentials are set, else the terminal chat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
if [ -n "${SLACK_BOT_TOKEN:-}" ]; then
  exec .venv/bin/regbot serve "$@"
fi
echo "SLACK_BOT_TOKEN is not set: starting the terminal chat (see README, 'Slack')." >&2
exec .venv/bin/regbot chat "$@"
