"""The web chat: the conversation in any browser, for people without Telegram (a third
channel beside Telegram and the console, on the same service and engine).

`app.asgi_app` composes it from `routes.ROUTES`; `context` holds its state (`Chat`);
`bot.cli` and `bot.system` start it (`server.serve`)."""
