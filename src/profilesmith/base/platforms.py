"""Apple's platforms, by the names the CLI and config files use."""

from __future__ import annotations

# the CLI's and config's name -> Apple's spelling (the key of x-platforms in the schemas)
PLATFORM_NAMES = {"ios": "iOS", "macos": "macOS", "tvos": "tvOS", "watchos": "watchOS",
                  "visionos": "visionOS"}
PLATFORMS = tuple(PLATFORM_NAMES)
