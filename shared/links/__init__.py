"""Linking a cafe's Telegram chat: requests from the bot, a manager's decision, the link itself."""
