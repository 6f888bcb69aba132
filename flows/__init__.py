"""The conversation: a flow model (data), a pure engine that runs it, and rendering.

Nothing here does I/O while running a step: storage and channels live in `bot`, and the
engine receives time as an argument. Catalogs are loaded once at start-up
(`flows.i18n.load_catalogs`).
"""
