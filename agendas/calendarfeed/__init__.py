"""Personal iCalendar feed of a user's deadlines (issue 14, item 4): secret, revocable URL."""
