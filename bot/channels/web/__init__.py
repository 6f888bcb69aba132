"""The web chat: the conversation in any browser, for people without Telegram (a third
channel beside Telegram and the console, on the same service and engine)."""

from bot.channels.web.app import ChatConfig, chat_config, create_app, serve

__all__ = ["ChatConfig", "chat_config", "create_app", "serve"]
