"""The MDM AccessRights bits: their values, Apple's names and what each allows.

Data plus small helpers; ``profilesmith rights`` and the MDM rules build on it. The names
are the ones Apple's command reference uses in its "Required Access Right" entries
(apple/device-management ``accessrights:``); the meanings are our own short wording.
"""

from __future__ import annotations

from typing import NamedTuple


class Right(NamedTuple):
    name: str
    value: int
    meaning: str


RIGHTS: tuple[Right, ...] = (
    Right("AllowInspection", 1, "inspect installed configuration profiles"),
    Right("AllowInstallationRemoval", 2, "install and remove configuration profiles"),
    Right("AllowPasscodeRemovalAndLock", 4, "lock the device and remove its passcode"),
    Right("AllowDeviceErase", 8, "erase the device"),
    Right("AllowQueryDeviceInformation", 16, "query device information (capacity, serial)"),
    Right("AllowQueryNetworkInformation", 32, "query network information (phone, SIM, MAC)"),
    Right("AllowProvisioningInspection", 64, "inspect installed provisioning profiles"),
    Right("AllowProvisioningInstallationRemoval", 128,
          "install and remove provisioning profiles"),
    Right("AllowQueryApplications", 256, "inspect installed applications"),
    Right("AllowQueryRestrictions", 512, "make restriction-related queries"),
    Right("AllowQuerySecurity", 1024, "make security-related queries"),
    Right("AllowSettings", 2048, "change settings"),
    Right("AllowAppInstallation", 4096, "manage apps"),
)

# Other spellings that appear in Apple's data for the same bits.
ALIASES: dict[str, str] = {
    "DeviceLockAndRemovePasscode": "AllowPasscodeRemovalAndLock",
    "QueryInstalledApps": "AllowQueryApplications",
}

ALL_RIGHTS = sum(r.value for r in RIGHTS)  # 8191

# Apple: "Specify 1 if you specify 2. Specify 64 if you specify 128."
DEPENDENCIES: tuple[tuple[int, int], ...] = ((2, 1), (128, 64))

_BY_VALUE = {r.value: r for r in RIGHTS}
_BY_NAME = {r.name.lower(): r for r in RIGHTS}


def by_value(value: int) -> Right | None:
    return _BY_VALUE.get(value)


def by_name(name: str) -> Right | None:
    """The right called ``name`` (case-insensitive; Apple's aliases accepted)."""
    name = ALIASES.get(name, name)
    return _BY_NAME.get(name.lower())


def granted(value: int) -> list[Right]:
    """The defined rights a value grants, in bit order."""
    return [r for r in RIGHTS if value & r.value]


def undefined_bits(value: int) -> int:
    """The bits of ``value`` that are not a defined right (0 when there are none)."""
    return value & ~ALL_RIGHTS if value >= 0 else value


def missing_dependencies(value: int) -> list[tuple[Right, Right]]:
    """(right, right it needs) for each dependency ``value`` breaks."""
    return [
        (_BY_VALUE[needs_it], _BY_VALUE[needed])
        for needs_it, needed in DEPENDENCIES
        if value & needs_it and not value & needed
    ]


def with_dependencies(value: int) -> int:
    """``value`` plus every right its rights depend on: the smallest valid superset."""
    for needs_it, needed in DEPENDENCIES:
        if value & needs_it:
            value |= needed
    return value
