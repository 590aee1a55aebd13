"""Reminders before the deadline, and who the bot may write to."""
