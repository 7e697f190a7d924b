#!/usr/bin/env python3
"""Tells docker/test.sh which Debian mirror this machine's apt uses, so that the image is built
from the same mirror (and never from a hard-coded public host).

    apt-sources.py mirror           the archive URI of the 'bookworm' suite (for debootstrap)
    apt-sources.py mirror-keyring   that entry's Signed-By file, if it names one
    apt-sources.py sources          a deb822 debian.sources of every Debian 12 entry found
    apt-sources.py keyrings         Signed-By files they need beyond debian-archive-keyring

It reads /etc/apt/sources.list, /etc/apt/sources.list.d/*.list (one-line format) and
/etc/apt/sources.list.d/*.sources (deb822). Only 'deb' entries of the bookworm, bookworm-updates
and bookworm-security suites are kept: third-party repositories of the host (their suites are
not Debian's) have no place in the image. Exit status 1 when no bookworm entry is found.
"""
import glob
import os
import sys

ROOT = os.environ.get("APT_SOURCES_ROOT", "/")
SUITES = ("bookworm", "bookworm-updates", "bookworm-security", "bookworm/updates")
OWN_KEYRINGS = "/usr/share/keyrings/debian-archive-"


def one_line_entries(path):
    """Entries of a one-line sources.list: deb [opt=val ...] uri suite component..."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) < 3 or words[0] != "deb":
                continue
            options, rest = {}, words[1:]
            if rest[0].startswith("["):
                text = " ".join(rest)
                inside, _, after = text[1:].partition("]")
                for opt in inside.split():
                    key, _, value = opt.partition("=")
                    options[key.lower()] = value
                rest = after.split()
            if len(rest) >= 2:
                yield {"uris": [rest[0]], "suites": [rest[1]], "components": rest[2:],
                       "signed-by": options.get("signed-by", "")}


def deb822_paragraphs(path):
    """Paragraphs of a deb822 .sources file as {lower-case field: value} (continuations kept)."""
    para, field = {}, None
    with open(path, encoding="utf-8") as f:
        for raw in f.read().splitlines() + [""]:
            if raw.startswith("#"):
                continue
            if raw.strip() == "":
                if para:
                    yield para
                para, field = {}, None
            elif raw[0] in " \t" and field is not None:
                para[field] += "\n" + raw
            else:
                field, _, value = raw.partition(":")
                field = field.strip().lower()
                para[field] = value.strip()


def deb822_entries(path):
    for p in deb822_paragraphs(path):
        if "deb" not in p.get("types", "").split() or p.get("enabled", "yes") == "no":
            continue
        yield {"uris": p.get("uris", "").split(), "suites": p.get("suites", "").split(),
               "components": p.get("components", "").split(), "signed-by": p.get("signed-by", "")}


def debian_entries():
    etc = os.path.join(ROOT, "etc/apt")
    files = [os.path.join(etc, "sources.list")] + sorted(glob.glob(etc + "/sources.list.d/*.list"))
    found = []
    for path in files:
        if os.path.isfile(path):
            found.extend(one_line_entries(path))
    for path in sorted(glob.glob(etc + "/sources.list.d/*.sources")):
        found.extend(deb822_entries(path))
    for e in found:
        suites = [s for s in e["suites"] if s in SUITES]
        if suites and e["uris"] and e["components"]:
            yield dict(e, suites=suites)


def main():
    what = sys.argv[1] if len(sys.argv) == 2 else ""
    entries = list(debian_entries())
    if what not in ("mirror", "mirror-keyring", "sources", "keyrings"):
        print(__doc__, file=sys.stderr)
        return 2
    if not any("bookworm" in e["suites"] for e in entries):
        print("apt-sources.py: no 'deb ... bookworm' entry in this machine's apt sources",
              file=sys.stderr)
        return 1
    first = next(e for e in entries if "bookworm" in e["suites"])
    if what == "mirror":
        print(first["uris"][0])
    elif what == "mirror-keyring":
        if first["signed-by"].startswith("/") and "\n" not in first["signed-by"]:
            print(first["signed-by"])
    elif what == "keyrings":
        for e in entries:
            key = e["signed-by"]
            if key.startswith("/") and "\n" not in key and not key.startswith(OWN_KEYRINGS):
                print(key)
    else:
        for e in entries:
            print("Types: deb")
            print("URIs: " + " ".join(e["uris"]))
            print("Suites: " + " ".join(e["suites"]))
            print("Components: " + " ".join(e["components"]))
            if e["signed-by"]:
                print("Signed-By: " + e["signed-by"])
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
