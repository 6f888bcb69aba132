"""The Telegram channel: a framework-neutral core and two thin adapters (aiogram, ptb)."""
