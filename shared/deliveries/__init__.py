"""Lunch has arrived: the cafe presses "Привезли", everyone with an order hears it once."""
