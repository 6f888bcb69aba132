"""What both web edges share (the consulent dashboard, the web chat): the ASGI wrappers
with the security headers (`middleware`), the key that signs cookies (`keys`), the one
Jinja2 setup (`templates`) and serving on uvicorn (`serving`).

A layer of its own, below the edges and above `bot.core`: the edges never import each
other, and HTTP is no business of the application core."""
