"""The consulent dashboard: FastAPI + Jinja2, server-rendered, in Dutch.

An edge: it calls `bot.core` (cases, users, login, appointments, export) and `storage`'s
repositories, never another edge. `app.asgi_app` composes it from `routes.ROUTERS`;
`context` holds the dependencies (`current_user`, `csrf_form`, `owned_case`,
`admin_user`); `bot.cli` and `bot.system` start it (`server.serve`).
"""
