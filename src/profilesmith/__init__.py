"""profilesmith: author, lint, sign and verify Apple device-management files.

The public API (docs/api.md) is re-exported here and loaded on first use, so that
``import profilesmith`` costs nothing::

    import profilesmith
    report = profilesmith.lint(["profiles/"])

The package is layered; each layer imports only the layers below it (import-linter checks
it in CI, docs/architecture.md explains it)::

    cli            the click commands: parse options, call the API, print, exit codes
    api            the public Python API (api.py, its result types in api_types.py)
    render | diff  authoring (templates, values, command plists, batches) | profile updates
    lint           engine, rule registry and rules, config, discovery, reporters
    mdm | cms      Apple's MDM knowledge (AccessRights, commands, certificates, URLs) |
                   CMS signing, verification and encryption
    schema         bundled JSON Schemas, the compiled validator, schema findings
    plist          the Document model, readers with positions, writer, projections
    base           findings, JSON Pointers, bundled data, files, small text helpers
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from profilesmith.base.version import __version__

__all__ = [  # noqa: RUF022 (the API, then the version)
    "Built", "Certificate", "CertificateError", "CertificateWarning", "Finding", "LintFailed",
    "PasswordRequired", "ProfilesmithError", "Report", "Severity", "Verification",
    "build", "build_profile", "check_recipient", "check_signer", "decrypt", "encrypt", "lint",
    "lint_bytes", "sign", "verify", "__version__",
]
_API = frozenset(__all__) - {"__version__"}

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports them
    from profilesmith.api import (
        build as build,
    )
    from profilesmith.api import (
        build_profile as build_profile,
    )
    from profilesmith.api import (
        check_recipient as check_recipient,
    )
    from profilesmith.api import (
        check_signer as check_signer,
    )
    from profilesmith.api import (
        decrypt as decrypt,
    )
    from profilesmith.api import (
        encrypt as encrypt,
    )
    from profilesmith.api import (
        lint as lint,
    )
    from profilesmith.api import (
        lint_bytes as lint_bytes,
    )
    from profilesmith.api import (
        sign as sign,
    )
    from profilesmith.api import (
        verify as verify,
    )
    from profilesmith.api_types import (
        Built as Built,
    )
    from profilesmith.api_types import (
        Certificate as Certificate,
    )
    from profilesmith.api_types import (
        CertificateError as CertificateError,
    )
    from profilesmith.api_types import (
        CertificateWarning as CertificateWarning,
    )
    from profilesmith.api_types import (
        LintFailed as LintFailed,
    )
    from profilesmith.api_types import (
        PasswordRequired as PasswordRequired,
    )
    from profilesmith.api_types import (
        ProfilesmithError as ProfilesmithError,
    )
    from profilesmith.api_types import (
        Report as Report,
    )
    from profilesmith.api_types import (
        Verification as Verification,
    )
    from profilesmith.base.findings import Finding as Finding
    from profilesmith.base.findings import Severity as Severity


def __getattr__(name: str) -> Any:
    if name == "lint":
        # the subpackage, made callable (below): importing it binds the name anyway
        import profilesmith.lint

        return sys.modules["profilesmith.lint"]
    if name in _API:
        import profilesmith.api

        value = getattr(profilesmith.api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'profilesmith' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})


# ``profilesmith.lint`` is both the public function and the linter's subpackage: the
# import system binds a subpackage to its name in the parent as soon as anything imports
# it, which would shadow the function. So the subpackage itself is callable and calls
# profilesmith.api.lint; ``import profilesmith.lint.engine`` keeps working as ever.


class _CallableLint(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from profilesmith.api import lint

        return lint(*args, **kwargs)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "lint" and type(value) is types.ModuleType:
            value.__class__ = _CallableLint
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
