"""The options ``lint`` and ``command`` share about what is targeted: platforms with their
oldest OS versions, the deployment (supervision, enrollment, Shared iPad) and the data
checked against (a newer copy of Apple's data, the user's own schemas, ProfileManifests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from profilesmith.base.platforms import ENROLLMENTS

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
