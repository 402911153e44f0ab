"""publish stage: built episodes → the feed's files (feed.xml, MP3s, chapters, transcripts, cover) in a staging folder,
and the ledger of what was published when. `briefing.release` puts them and the listening pages in place."""

from briefing.publish.staging import BuiltEpisode, Edition, built_episodes, plan, withdrawn, write_feed

__all__ = ["BuiltEpisode", "Edition", "built_episodes", "plan", "withdrawn", "write_feed"]
