"""Reading data in from files secretaries already have (the member list in Excel or CSV)."""
