from briefing.cli import command

command()
