"""The options ``lint`` and ``command`` share about what is targeted: platforms with their
oldest OS versions, the deployment (supervision, enrollment, Shared iPad) and the data
checked against (a newer copy of Apple's data, the user's own schemas, ProfileManifests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from profilesmith.base.platforms import ENROLLMENTS

if TYPE_CHECKING:
    from profilesmith.lint.config import LintOptions

F = TypeVar("F", bound=Callable[..., object])


def platform_option(purpose: str) -> Callable[[F], F]:
    return click.option(
        "--platform", "platforms", multiple=True, metavar="NAME[:MIN_VERSION]",
        help=f"Target platform (repeatable; ios, macos, tvos, watchos, visionos, any letter "
             f"case), optionally with the oldest OS version targeted (macos:14.0): {purpose}.")


def deployment_options(func: F) -> F:
    """--supervised/--unsupervised, --enrollment, --shared-ipad."""
    func = click.option("--shared-ipad", "shared_ipad", flag_value=True, default=None,
                        help="The devices are Shared iPads.")(func)
    func = click.option("--enrollment", type=click.Choice(ENROLLMENTS, case_sensitive=False),
                        help="How the devices get the profile: device enrollment, user "
                             "enrollment, Automated Device Enrollment (ade), or installed "
                             "by hand (manual).")(func)
    return click.option("--supervised/--unsupervised", "supervised", default=None,
                        help="Whether the devices are supervised (default: as the "
                             "enrollment implies, else not said).")(func)


def data_options(func: F) -> F:
    """--apple-data, --schemas, --manifests."""
    func = click.option("--manifests", type=click.Path(file_okay=False),
                        help="A checkout of ProfileManifests: check third-party preference "
                             "domains that have no schema against its manifests.")(func)
    func = click.option("--schemas", "schema_dirs", multiple=True,
                        type=click.Path(file_okay=False),
                        help="A directory of your own <PayloadType>.schema.json files "
                             "(repeatable): new payload types, or keys added to ours.")(func)
    return click.option("--apple-data", type=click.Path(file_okay=False),
                        help="A checkout of Apple's device-management data (a newer "
                             "release): its schemas are generated once and cached.")(func)


def apply(options: LintOptions, *, platforms: tuple[str, ...], supervised: bool | None,
          enrollment: str | None, shared_ipad: bool | None, apple_data: str | None,
          schema_dirs: tuple[str, ...], manifests: str | None) -> LintOptions:
    """The options with the command line's targets (the values of platform_option,
    deployment_options and data_options) laid over the configuration's; a bad value is a
    usage error (exit 2)."""
    from profilesmith.cli.common import fail
    from profilesmith.lint.config import ConfigError, parse_enrollment, parse_platforms

    changes: dict[str, Any] = {}
    try:
        if platforms:
            changes["platforms"], changes["minimums"] = parse_platforms(
                platforms, where="--platform")
        deployment = options.deployment
        if supervised is not None:
            deployment = deployment._replace(supervised=supervised)
        if enrollment is not None:
            deployment = deployment._replace(
                enrollment=parse_enrollment(enrollment, where="--enrollment"))
        if shared_ipad is not None:
            deployment = deployment._replace(shared_ipad=shared_ipad)
        changes["deployment"] = deployment
    except ConfigError as exc:
        fail(str(exc))
    if apple_data is not None:
        changes["apple_data"] = apple_data
    if schema_dirs:
        changes["schema_dirs"] = (*options.schema_dirs, *schema_dirs)
    if manifests is not None:
        changes["manifests"] = manifests
    result = options.with_changes(**changes)
    if result.apple_data or result.schema_dirs or result.manifests:
        from profilesmith.schema.sources import SourceError, activate

        try:  # before any file is read (and before workers fork): a usage error here
            activate(result.apple_data, result.schema_dirs, result.manifests)
        except SourceError as exc:
            fail(str(exc))
    if result.deployment.stated and not result.platforms:
        from profilesmith.cli.common import note

        note("the deployment (--supervised, --enrollment, --shared-ipad) is checked only on "
             "the platforms targeted: add --platform")
    return result
