"""`briefing deploy`: the published site feed/ to where listeners fetch it."""
