"""The channels a person talks through: Telegram and the console."""
