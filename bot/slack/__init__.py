"""regbot in Slack: `app` (Bolt listeners), `render` (Block Kit), `serve` (Socket Mode or HTTP) and
`feedback` (answers and votes in SQLite). It talks to the answer engine only through `engine.answer()`.

    from bot.slack.serve import serve
    serve(Settings.from_env(), http=True, port=3000)
"""
