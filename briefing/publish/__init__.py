"""publish stage: built episodes → the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover)."""

from briefing.publish.site import PublishResult, built_episodes, publish, unpublish

__all__ = ["PublishResult", "built_episodes", "publish", "unpublish"]
