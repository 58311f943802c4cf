"""Make the fonts under kratom_handouts/fonts/ for Chinese, Korean and Arabic from their upstream releases.

    python tools/make_fonts.py [DOWNLOAD_DIR]

Needs fontTools (``pip install fonttools``) and ``npm`` (for ``npm pack``, which
only fetches a tarball from the npm registry; nothing is installed). Files
already in DOWNLOAD_DIR (default ``build/font-sources``) are reused.

Every upstream file is checked against the sha256 recorded in ``UPSTREAM``
below before it is used, so the shipped fonts can be remade exactly. The full
CJK fonts are 6-11 MB a face; we keep a subset per script, chosen by character
set rather than by our own text, so a translator's new sentence rarely needs a
new font build:

- Simplified Chinese: every character of GB 2312 (the set mainland texts use);
- Traditional Chinese: every character of Big5;
- Korean: all 11,172 Hangul syllables plus KS X 1001 (which adds Hanja and symbols);
- Arabic (IBM Plex Sans Arabic, 0.24 MB a face): shipped whole.

Each subset also keeps Basic Latin, Latin-1 and general punctuation, so that
numbers, URLs and brackets in a Chinese sentence come from the same font.
Hinting is dropped (print does not use it). A character outside a subset is
reported by ``kratom-handouts check`` with its code point and place.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "kratom_handouts" / "fonts"


@dataclass(frozen=True)
class Upstream:
    """A released archive and the files we take from it."""

    fetch: list[str]  # the command that downloads it into the download folder
    archive: str
    sha256: str
    version: str
    members: dict[str, str]  # shipped file name -> path inside the archive
    licence: str  # path of the licence inside the archive


def _npm(package: str, version: str, sha256: str, stem: str) -> Upstream:
    name = package.split("/")[-1]
    return Upstream(
        ["npm", "pack", f"{package}@{version}"], f"expo-google-fonts-{name}-{version}.tgz", sha256, version,
        {f"{stem}-Regular.ttf": f"package/400Regular/{stem}_400Regular.ttf",
         f"{stem}-Bold.ttf": f"package/700Bold/{stem}_700Bold.ttf"},
        "package/LICENSE_FONT",
    )


UPSTREAM: dict[str, Upstream] = {
    "noto-sans-sc": _npm("@expo-google-fonts/noto-sans-sc", "0.4.3",
                         "0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59", "NotoSansSC"),
    "noto-sans-tc": _npm("@expo-google-fonts/noto-sans-tc", "0.4.3",
                         "e7532a3a43a6c660ee0351a167b99fe0da52f20b4940fb3fc067ed7c5bd594bf", "NotoSansTC"),
    "noto-sans-kr": _npm("@expo-google-fonts/noto-sans-kr", "0.4.3",
                         "7614af529705ea48e8b76cb3b056b92db66b7625ef3fc97ce76366063df94d3f", "NotoSansKR"),
    "ibm-plex-sans-arabic": Upstream(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", ".", "fontpkg-ibm-plex-sans-arabic==1.101"],
        "fontpkg_ibm_plex_sans_arabic-1.101-py3-none-any.whl",
        "8f661814cd9a3e94240cff0421b719aa8dfb5ab23b8ddf2e4845143dea51b140", "1.101",
        {"IBMPlexSansArabic-Regular.ttf": "fontpkg_ibm_plex_sans_arabic/files/IBMPlexSansArabic-Regular.ttf",
         "IBMPlexSansArabic-Bold.ttf": "fontpkg_ibm_plex_sans_arabic/files/IBMPlexSansArabic-Bold.ttf"},
        "fontpkg_ibm_plex_sans_arabic/LICENSE",
    ),
}


def _encodable(codec: str, lead: range, trail: range) -> set[int]:
    """Every character a double-byte character set encodes (tried byte pair by byte pair)."""
    chars: set[int] = set()
    for first in lead:
        for second in trail:
            try:
                text = bytes([first, second]).decode(codec)
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    return chars


_COMMON = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070)) | {0x25CF, 0x2022, 0x2013}


def _kept(family: str) -> set[int] | None:
    """The code points a family's subset keeps (None: ship it whole)."""
    if family == "noto-sans-sc":
        return _COMMON | _encodable("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF)) | set(range(0x3000, 0x3040))
    if family == "noto-sans-tc":
        return _COMMON | _encodable("big5", range(0xA1, 0xFA), range(0x40, 0xFF)) | set(range(0x3000, 0x3040))
    if family == "noto-sans-kr":
        return (_COMMON | set(range(0xAC00, 0xD7A4)) | set(range(0x3130, 0x3190))
                | _encodable("euc_kr", range(0xA1, 0xFF), range(0xA1, 0xFF)))
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_archive(path: Path, member: str) -> bytes:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as archive:
            return archive.read(member)
    with tarfile.open(path) as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise SystemExit(f"{path.name}: {member} is not a file")
        return extracted.read()


def _subset(data: bytes, keep: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False  # the same input gives the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep & set(font.getBestCmap())))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> None:
    downloads = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "font-sources"
    downloads.mkdir(parents=True, exist_ok=True)
    record: dict[str, object] = {}
    for family, upstream in UPSTREAM.items():
        archive = downloads / upstream.archive
        if not archive.is_file():
            subprocess.run(upstream.fetch, cwd=downloads, check=True)
        digest = _sha256(archive.read_bytes())
        if digest != upstream.sha256:
            raise SystemExit(f"{archive.name}: sha256 {digest}, expected {upstream.sha256}; not using it")
        target = FONTS / family
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        keep = _kept(family)
        files = {}
        for name, member in upstream.members.items():
            data = _read_archive(archive, member)
            shipped = data if keep is None else _subset(data, keep)
            (target / name).write_bytes(shipped)
            files[name] = {"from": member, "upstream_sha256": _sha256(data), "sha256": _sha256(shipped),
                           "bytes": len(shipped)}
        (target / "OFL.txt").write_bytes(_read_archive(archive, upstream.licence))
        record[family] = {"archive": upstream.archive, "version": upstream.version, "sha256": upstream.sha256,
                          "fetched_with": " ".join(upstream.fetch[-1:] if upstream.fetch[0] != "npm"
                                                   else upstream.fetch),
                          "subset": "whole font" if keep is None else _kept_description(family), "files": files}
        print(f"{family}: " + ", ".join(f"{name} {info['bytes'] / 1e6:.1f} MB" for name, info in files.items()))
    (FONTS / "SOURCES.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _kept_description(family: str) -> str:
    return {"noto-sans-sc": "GB 2312, CJK punctuation, Basic Latin, Latin-1, general punctuation",
            "noto-sans-tc": "Big5, CJK punctuation, Basic Latin, Latin-1, general punctuation",
            "noto-sans-kr": "all Hangul syllables and jamo, KS X 1001, Basic Latin, Latin-1, general punctuation",
            }[family]


if __name__ == "__main__":
    main()
