"""DDM: the declarations of one lint run as a set, the way a server sends them to a device:
Identifiers unique, and what activations and configurations name there, and of the kind
Apple allows.

Which files are the set: every declaration of the run, for duplicates and for references
that reach a declaration of the wrong kind (facts about the files at hand, true however
few are linted). A reference that reaches nothing is reported only when the run is known
to hold the whole set: the referring file was found by walking a directory
(``profilesmith lint declarations/``), and the walk found at least one other declaration of
the kind referred to. A file named on its own, or by pre-commit (which names only the files
a commit changes), is a part of a set, whose other members are elsewhere; and a folder of
configurations without any asset refers to assets the server generates (credentials
created per user).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context, Declaration, Summary
from profilesmith.lint.registry import rule

_NAMES = {"configuration": "configuration", "asset": "asset", "activation": "activation",
          "management": "management declaration"}


def _a(category: str) -> str:
    name = _NAMES.get(category, category)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _declarations(summaries: Sequence[Summary]) -> list[tuple[Summary, Declaration]]:
    return [(s, s.declaration) for s in summaries if s.declaration is not None]


@rule("DDM010", Severity.WARNING, scope="corpus")
def duplicate_declaration_identifier(summaries: Sequence[Summary],
                                     ctx: Context) -> Iterator[Hit]:
    """Two declarations of one run share an Identifier.

    A device keeps one declaration per Identifier, and a server stores one: the second
    replaces the first, and what activations and configurations name by that Identifier
    depends on which was uploaded last. Reported on every file after the first (in path
    order). A warning, as for profiles (STR005): one run may hold several sets (a folder
    per team), each with its own declarations.

    Fails:   passcode.json and restrictions.json both "Identifier": "com.example.config"
    Passes:  "com.example.config.passcode" and "com.example.config.restrictions"
    """
    first: dict[str, tuple[Summary, Declaration]] = {}
    for summary, declaration in _declarations(summaries):
        identifier = declaration.identifier
        if identifier is None or not identifier.strip():
            continue  # DDM002, SCH002
        owner = first.setdefault(identifier, (summary, declaration))
        if owner[0] is not summary:
            yield Hit("/Identifier", f"Identifier {identifier!r} is also the Identifier of "
                      f"{owner[0].path} ({owner[1].type})", path=summary.path)


def _dangling(refers: str, value: str) -> str:
    if "#" in refers:
        owner, _, pointer = refers.partition("#")
        return f"no {owner} of this set has the {pointer.rsplit('/', 1)[-1]} {value!r}"
    return f"no {_NAMES.get(refers, refers)} of this set has the Identifier {value!r}"


class _Set:
    """The run's declarations, looked up by Identifier and by the keys others name."""

    def __init__(self, summaries: Sequence[Summary]) -> None:
        self.members = _declarations(summaries)
        self.by_identifier: dict[str, list[tuple[Summary, Declaration]]] = defaultdict(list)
        self.offered: dict[str, set[str]] = defaultdict(set)
        for summary, declaration in self.members:
            if declaration.identifier is not None:
                self.by_identifier[declaration.identifier].append((summary, declaration))
            for key, value in declaration.offered:
                self.offered[key].add(value)

    def walked_kind(self, refers: str, besides: Summary) -> bool:
        """Whether a directory walk of this run found a declaration of the kind
        ``refers`` names (a category, or the type of a ``<type>#<key>`` reference)."""
        owner = refers.partition("#")[0]
        for summary, declaration in self.members:
            if summary is besides or not summary.walked:
                continue
            if declaration.category == refers or declaration.type == owner:
                return True
        return False


def _references(summaries: Sequence[Summary]) -> Iterator[tuple[_Set, Summary, Declaration]]:
    found = _Set(summaries)
    for summary, declaration in found.members:
        yield found, summary, declaration


@rule("DDM011", Severity.WARNING, scope="corpus")
def dangling_declaration_reference(summaries: Sequence[Summary],
                                   ctx: Context) -> Iterator[Hit]:
    """A declaration names an Identifier no declaration of the set has.

    An activation's StandardConfigurations, a configuration's ...AssetReference keys, a
    screen-sharing group's Members: what they name must be in the set the device gets,
    or the device reports Error.MissingConfigurations or Error.MissingAssets and applies
    nothing of it. Reported only for a set known to be whole: files found by walking a
    directory (``profilesmith lint declarations/``) that also holds declarations of the
    kind named. A file named on its own, or by pre-commit (which names only the files a
    commit changes), is a part of a set whose other members may be elsewhere, and a folder
    of configurations without any asset names assets the server generates (credentials
    made per user): both say nothing. A warning: a set may be assembled from several
    folders.

    Fails:   an activation naming "com.example.config.passcode", absent from the folder
    Passes:  the folder holds a configuration with that Identifier
    """
    for found, summary, declaration in _references(summaries):
        if not summary.walked:
            continue
        for reference in declaration.references:
            if reference.refers == "status-item":
                continue  # DDM033 checks these against the status item catalogue
            if "#" in reference.refers:
                present = reference.value in found.offered.get(reference.refers, set())
            else:
                present = reference.value in found.by_identifier
            if not present and found.walked_kind(reference.refers, summary):
                yield Hit(reference.pointer, _dangling(reference.refers, reference.value),
                          path=summary.path)


@rule("DDM012", Severity.ERROR, scope="corpus")
def wrong_kind_declaration_reference(summaries: Sequence[Summary],
                                     ctx: Context) -> Iterator[Hit]:
    """A declaration names another of the wrong kind.

    An activation installs configurations: naming an asset, a management declaration or
    another activation in StandardConfigurations installs nothing. A configuration's asset
    reference takes only the asset types Apple lists for that key (an Exchange account's
    AuthenticationCredentialsAssetReference a com.apple.asset.credential.userpassword, its
    identity references a credential.acme, .identity or .scep): the device cannot use
    another. Checked whenever the named declaration is in the run.

    Fails:   StandardConfigurations naming the Identifier of a com.apple.asset.data
    Passes:  StandardConfigurations naming the Identifier of a com.apple.configuration.*
    """
    from profilesmith.ddm.catalogue import CATEGORIES, is_known

    for found, summary, declaration in _references(summaries):
        for reference in declaration.references:
            if reference.refers not in CATEGORIES:
                continue
            targets = found.by_identifier.get(reference.value, [])
            if not targets:
                continue  # DDM011
            right = [(s, d) for s, d in targets if d.category == reference.refers]
            if not right:
                other, facts = targets[0]
                yield Hit(reference.pointer, f"{reference.value!r} is the Identifier of "
                          f"{other.path}, a {facts.type}, not {_a(reference.refers)}",
                          path=summary.path)
                continue
            allowed = reference.asset_types
            if not allowed or any(d.type in allowed or not is_known(d.type) for _, d in right):
                continue  # an asset type newer than the data: Apple's list is older
            other, facts = right[0]
            yield Hit(reference.pointer, f"{reference.value!r} is the Identifier of "
                      f"{other.path}, a {facts.type}; Apple allows only "
                      f"{', '.join(allowed)} here", path=summary.path)


# what names a declaration of each category, for DDM013
_NAMED_BY = {"configuration": "activation", "asset": "configuration"}


@rule("DDM013", Severity.INFO, scope="corpus")
def unreferenced_declaration(summaries: Sequence[Summary], ctx: Context) -> Iterator[Hit]:
    """A configuration no activation of the set names, or an asset no configuration names.

    The device keeps such a declaration but never applies it: it reports
    Info.NotReferencedByActivation (Info.NotReferencedByConfiguration for an asset). Often
    a leftover, or an activation that lists a misspelt Identifier (DDM011 then says which).
    Only for a whole set (found by walking a directory, as for DDM011) that has
    activations (configurations, for assets) of types the bundled data knows: a server
    that creates the activations itself (Fleet does) sends none of its own. An info: where
    a server makes activations for the configurations that have none (Fleet, with custom
    activations for some), the others are applied all the same.

    Fails:   a folder with an activation and a configuration the activation does not list
    Passes:  every configuration in some activation's StandardConfigurations
    """
    from profilesmith.ddm.catalogue import is_known

    found = _Set(summaries)
    named: set[str] = set()
    referrers: dict[str, list[Declaration]] = defaultdict(list)
    for summary, declaration in found.members:
        if summary.walked and declaration.category in _NAMED_BY.values():
            referrers[declaration.category or ""].append(declaration)
        named.update(r.value for r in declaration.references)
    for summary, declaration in found.members:
        category = declaration.category or ""
        owners = referrers.get(_NAMED_BY.get(category, ""), [])
        if (not summary.walked or not owners or declaration.identifier is None
                or declaration.identifier in named
                or not all(is_known(d.type) for d in owners)):
            continue
        yield Hit("/Identifier", f"no {_NAMED_BY[category]} of this set names this {category} "
                  f"({declaration.identifier!r}): the device keeps it but never applies it",
                  path=summary.path)
