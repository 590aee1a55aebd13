"""Personal nutrition recommendations: 30-day order stats, Gemini through a key pool, rules."""
