"""Start-up: configuration errors that name the variable, Socket Mode against a local fake (Web API +
websocket), the `python -m bot.slack.serve` runner, and secret redaction in logs."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, event_body, make_settings, mention
from fake_slack import FakeSlack, FakeSocketModeServer

from bot.slack.app import ConfigError, SlackConfig, build_app
from bot.slack.feedback import FeedbackStore
from bot.slack.serve import EVENTS_PATH, RedactSecrets, install_redaction, serve, start_socket_mode

REPO = Path(__file__).resolve().parents[2]
DIDI = "How much was Didi fined for violating data security rules?"


@pytest.mark.parametrize(
    ("env", "require", "named"),
    [
        ({}, ("SLACK_BOT_TOKEN",), "SLACK_BOT_TOKEN"),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "  "},
            ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
            "SLACK_SIGNING_SECRET",
        ),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"), "SLACK_APP_TOKEN"),
    ],
)
def test_missing_variable_is_named(env, require, named) -> None:
    with pytest.raises(ConfigError, match=named):
        SlackConfig.from_env(env, require=require)


def test_mixed_up_values_are_caught_without_echoing_them() -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN holds an app-level token") as err:
        SlackConfig.from_env({"SLACK_BOT_TOKEN": APP_TOKEN})
    assert APP_TOKEN not in str(err.value)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN must be an app-level token"):
        SlackConfig.from_env({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": BOT_TOKEN})
    with pytest.raises(ConfigError, match="SLACK_API_URL"):
        SlackConfig.from_env({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": "slack.internal/api"})
    config = SlackConfig.from_env(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": "https://proxy.corp/slack/api",
        }
    )
    assert config.base_url == "https://proxy.corp/slack/api/"
    assert BOT_TOKEN not in repr(config) and SIGNING_SECRET not in repr(config)


def test_serve_fails_fast_naming_the_variable(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        serve(make_settings(tmp_path), http=True, port=3999, env={"SLACK_BOT_TOKEN": BOT_TOKEN})
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        serve(make_settings(tmp_path), http=False, env={"SLACK_BOT_TOKEN": BOT_TOKEN})
    assert time.perf_counter() - started < 2  # checked before any model loads


def test_serve_reports_a_rejected_token(tmp_path: Path, fake_slack: FakeSlack, engine) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-wrong-token-999",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
    }
    with pytest.raises(
        ConfigError, match=r"Slack rejected SLACK_BOT_TOKEN \(auth.test: invalid_auth\)"
    ) as err:
        serve(make_settings(tmp_path), http=True, port=3999, env=env, engine=engine)
    assert "xoxb-wrong-token-999" not in str(err.value)


def test_cli_runner_prints_the_error_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.slack.serve", "--http", "--port", "3999"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_socket_mode_connects_and_answers(tmp_path: Path, engine) -> None:
    with (
        FakeSocketModeServer() as ws,
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, ws_url=ws.url) as fake,
    ):
        config = SlackConfig(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=fake.api_url)
        settings = make_settings(tmp_path)
        app = build_app(engine, settings, config=config, feedback=FeedbackStore(settings.feedback_path))
        handler = start_socket_mode(app, APP_TOKEN)
        try:
            [opened] = fake.wait_for(lambda c: c.method == "apps.connections.open")
            assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
            ws.wait_connected()
            assert ws.handshakes[0].startswith("GET /link?ticket=fake-ticket ")  # the URL Slack returned
            payload = json.loads(event_body(mention(DIDI, ts="1700001000.000100"), event_id="Ev-socket"))
            ws.send(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": payload,
                }
            )
            ack = ws.wait_received(lambda m: m.get("envelope_id") == "env-1")
            assert set(ack) <= {"envelope_id", "payload"}
            [update] = fake.wait_for(lambda c: c.method == "chat.update")
            assert "1.2 billion" in json.dumps(update.blocks)
            [placeholder] = fake.calls("chat.postMessage")
            assert placeholder.body["thread_ts"] == "1700001000.000100"
            # A redelivery of the envelope after a reconnect carries the same event_id: not answered again.
            ws.send(
                {
                    "envelope_id": "env-2",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 1,
                    "retry_reason": "timeout",
                    "payload": payload,
                }
            )
            ws.wait_received(lambda m: m.get("envelope_id") == "env-2")
            fake.quiet(0.5)
            assert len(fake.calls("chat.update")) == 1
        finally:
            handler.close()


def test_regbot_serve_socket_mode_process_answers_and_stops_on_sigterm(
    tmp_path: Path, engine, data_dir
) -> None:
    """The real entry point in its own process: loads the engine, connects, answers, exits cleanly."""
    with (
        FakeSocketModeServer() as ws,
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, ws_url=ws.url) as fake,
    ):
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": fake.api_url,
            "REGBOT_DATA_DIR": str(data_dir),
            "REGBOT_FEEDBACK_DB": str(tmp_path / "fb.sqlite3"),
        }
        env.pop("SLACK_SIGNING_SECRET", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.slack.serve"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            ws.wait_connected(timeout=60)
            payload = json.loads(event_body(mention(DIDI, ts="1700001100.000100"), event_id="Ev-proc"))
            ws.send(
                {
                    "envelope_id": "env-p",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": payload,
                }
            )
            [update] = fake.wait_for(lambda c: c.method == "chat.update", timeout=30)
            assert "1.2 billion" in json.dumps(update.blocks)
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == 0, output
        assert "Socket Mode" in output
        for secret in (BOT_TOKEN, APP_TOKEN, "fake-ticket"):
            assert secret not in output


@contextlib.contextmanager
def redacted_log(secrets: list[str]) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger with the redaction filter installed on its one handler, as serve() installs it."""
    stream = io.StringIO()
    root = logging.getLogger(f"redaction-test-{id(stream)}")
    root.propagate = False
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        install_redaction(secrets, root=root)
        yield root, stream
    finally:
        root.removeHandler(handler)


def test_redaction_filter_scrubs_tokens_tickets_response_urls_and_tracebacks() -> None:
    with redacted_log([SIGNING_SECRET]) as (root, stream):
        root.debug("headers %s", {"Authorization": f"Bearer {BOT_TOKEN}"})
        root.info("app token %s and secret %s", APP_TOKEN, SIGNING_SECRET)
        root.debug("connecting to wss://wss-primary.slack.com/link/?ticket=abc-123&app_id=A1")
        root.debug("posting to https://hooks.slack.com/commands/T1/123/XyZsecret")
        try:
            raise RuntimeError(f"auth failed for {BOT_TOKEN}")
        except RuntimeError:
            root.exception("boom")
    text = stream.getvalue()
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, "abc-123", "XyZsecret"):
        assert secret not in text
    assert text.count("[redacted]") >= 6 and "RuntimeError" in text
    assert RedactSecrets(["short"]).redact("short stays") == "short stays"  # too short to be a secret


def test_redaction_filter_cuts_long_lines() -> None:
    """Libraries log request bodies (Bolt does, for a bad signature): whatever they log, the line is short."""
    with redacted_log([]) as (root, stream):
        root.warning("body: %s", "x" * 5_000_000)
        root.warning("short line")
    first, second = stream.getvalue().splitlines()
    assert len(first) < 2_100 and first.startswith("body: xxx") and second == "short line"


def test_manifest_declares_what_the_app_handles() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True and settings["socket_mode_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/regbot"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
    }
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # people can DM the bot
    # The HTTP variant, once uncommented, points everything at the one endpoint the server serves.
    text = (REPO / "slack" / "manifest.yaml").read_text(encoding="utf-8")
    http = yaml.safe_load(re.sub(r"# (url|request_url): ", r"\1: ", text))
    assert http["settings"]["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert http["settings"]["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert http["features"]["slash_commands"][0]["url"].endswith(EVENTS_PATH)


def test_regbot_serve_command_names_the_missing_variable(monkeypatch, capsys) -> None:
    from bot.cli import main

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    level = logging.getLogger().level
    try:
        assert main(["serve", "--http", "--port", "3999"]) == 2
    finally:
        logging.getLogger().setLevel(level)  # the command turns on INFO logging for the server
    assert "SLACK_BOT_TOKEN is not set" in capsys.readouterr().err


def test_a_question_cap_below_one_is_refused_at_start_up(tmp_path: Path, engine) -> None:
    with pytest.raises(ValueError, match="REGBOT_MAX_QUESTION_CHARS"):
        build_app(engine, make_settings(tmp_path, max_question_chars=0), config=SlackConfig(bot_token=BOT_TOKEN))
