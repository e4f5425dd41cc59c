"""regbot in Slack: `app` (Bolt listeners), `render` (Block Kit, and plain questions out of Slack markup),
`serve` (Socket Mode or HTTP), `gate` (the checks an HTTP request passes before Bolt sees it), `pools` (the
bounded thread pools) and `feedback` (answers and votes in SQLite, with retention). It talks to the answer
engine only through `engine.answer()`.

    from bot.slack.serve import serve
    serve(Settings.from_env(), http=True, port=3000)
"""
