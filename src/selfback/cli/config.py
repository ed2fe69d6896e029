"""`selfback config show|set|path`: settings such as country and reduced motion."""

from __future__ import annotations

import typer

from selfback.cli.context import env_of


def _country_note(code: str) -> str:
    """One plain line on what ``sos`` will show for the country just saved."""
    from selfback.safety.crisis import country_name, resources_for

    block, known = resources_for(code)
    if known:
        return f"selfback sos now shows crisis lines for {block.get('name', code)}."
    name = country_name(code)
    return (
        f"selfback has no checked crisis lines for {name} yet, so selfback sos will show how "
        "to find a free helpline and ask you to call your local emergency number."
    )


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(
        help="Settings: country (for crisis lines), reduced motion, and more.",
        no_args_is_help=False,
        invoke_without_command=True,
    )
    app.add_typer(config_app, name="config")

    @config_app.callback()
    def config_root(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            show(ctx, json_out=False)

    @config_app.command("show")
    def show(
        ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print JSON.")
    ) -> None:
        """Show every setting and its current value."""
        import json

        from selfback.settings import Settings

        env = env_of(ctx)
        settings = env.settings
        if json_out:
            env.stdout.write(json.dumps(settings.model_dump(), indent=2) + "\n")
            return
        from selfback.text import fit_block, terminal_width, wrap

        width = terminal_width(env.stdout)
        lines = []
        for key, field in Settings.model_fields.items():
            value = getattr(settings, key)
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            elif value is None:
                shown = "(not set)"
            else:
                shown = str(value)
            about = field.description or ""
            if width >= 34 + 30:
                lines += wrap(
                    about, width, indent=f"{key:<22} {shown:<10} ", subsequent_indent=" " * 34
                )
            else:  # narrow: the description under the setting
                lines.append(f"{key}: {shown}")
                lines += wrap(about, width, indent="  ")
        lines.append("")
        lines.append(f"Settings file: {env.paths.config_file}")
        lines.append("Change one with: selfback config set KEY VALUE")
        env.stdout.write(fit_block("\n".join(lines), width) + "\n")

    @config_app.command("set")
    def set_(
        ctx: typer.Context,
        key: str = typer.Argument(..., help="The setting's name, e.g. country."),
        value: str = typer.Argument(..., help="The new value, e.g. GB, yes or no."),
    ) -> None:
        """Change one setting."""
        from selfback.settings import save_settings, set_value

        env = env_of(ctx)
        name = key.strip().lower().replace("-", "_")
        new = set_value(env.settings, name, value)
        save_settings(env.paths, new)
        shown = getattr(new, name)
        if isinstance(shown, bool):
            shown = "yes" if shown else "no"
        env.stdout.write(f"Saved: {key} = {shown if shown is not None else '(not set)'}\n")
        if name == "country" and shown is not None:
            env.stdout.write(_country_note(str(shown)) + "\n")

    @config_app.command("path")
    def path(ctx: typer.Context) -> None:
        """Show where selfback keeps its files."""
        env = env_of(ctx)
        p = env.paths
        env.stdout.write(
            f"settings   {p.config_file}\n"
            f"database   {p.database}\n"
            f"my skills  {p.user_skills_dir}\n"
            f"trackers   {p.user_trackers_dir}\n"
        )
