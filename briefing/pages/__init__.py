"""The listening pages of the published site: the show's index and a player page per episode."""

from briefing.pages.render import format_clock, render_episode, render_index, write_pages
from briefing.pages.subscribe import SubscribeLink, subscribe_links

__all__ = ["SubscribeLink", "format_clock", "render_episode", "render_index", "subscribe_links", "write_pages"]
