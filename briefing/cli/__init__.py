"""The `briefing` command: a thin Typer layer over the library, one module per command, named after it."""

from __future__ import annotations

import gc

import typer

from briefing.cli import (
    build,
    cache,
    deploy,
    fetch,
    init,
    lexicon,
    normalize,
    publish,
    run,
    say,
    script,
    serve,
    templates,
    unpublish,
    validate,
    voices,
)
from briefing.cli.options import Command, Group
from briefing.cli.output import console, fail_and_exit
from briefing.errors import BriefingError, os_error

app = typer.Typer(
    name="briefing",
    help="Turn a Korean newsletter issue into a podcast episode and publish it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# In the order `briefing --help` lists them: the producer's job in its steps, then the tools around it.
app.command("fetch")(fetch.fetch)
app.command("script")(script.script)
app.command("build")(build.build)
app.command("publish")(publish.publish)
app.command("unpublish")(unpublish.unpublish)
app.command("validate")(validate.validate)
app.command("run")(run.run)
app.command("deploy")(deploy.deploy)
app.command("serve")(serve.serve)
app.command("normalize")(normalize.normalize)
app.command("say")(say.say)
app.add_typer(voices.app, name="voices")
app.command("init")(init.init)
app.add_typer(cache.app, name="cache")
app.add_typer(lexicon.app, name="lexicon")
app.add_typer(templates.app, name="templates")


def _flags_shown_as_flags(typer_app: typer.Typer) -> None:
    """Every command and group, here and in sub-apps, made with the classes whose help shows a flag as a flag."""
    typer_app.info.cls = Group
    for command in typer_app.registered_commands:
        command.cls = Command
    for group in typer_app.registered_groups:
        group.cls = Group
        if group.typer_instance is not None:
            _flags_shown_as_flags(group.typer_instance)


_flags_shown_as_flags(app)


def _print_version(value: bool) -> None:
    if value:
        from briefing import __version__

        console.print(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print the version."),
) -> None:
    """Turn a Korean newsletter issue into a podcast episode and publish it."""


def main() -> None:
    try:
        app()  # standalone: usage errors exit 2 with click's message
    except BriefingError as error:
        fail_and_exit(error)
    except OSError as error:  # a file or folder the operating system refused (permissions, a full disk, …)
        fail_and_exit(os_error(error))


def command() -> None:
    """`main` as the `briefing` command runs it, in a process of its own that ends with it."""
    try:
        main()
    finally:
        # The objects left need not be searched for reference cycles as the interpreter shuts down: with the audio
        # stack loaded, that search took a quarter of a second of every build.
        gc.freeze()
