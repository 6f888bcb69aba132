"""The consulent dashboard: FastAPI + Jinja2, server-rendered, in Dutch.

Depends on the composition root (`bot.core.app.App`), the export (`bot.core.export`), the
appointment service and `storage`; `bot` imports it only lazily, inside CLI commands.
"""
