"""Make kratom_handouts/quality/data/en-syllables.txt.gz from the CMU Pronouncing Dictionary.

    python tools/make_syllable_table.py PATH/TO/cmudict.dict

The CMU dictionary (BSD licence, copied beside the table) marks every vowel
phoneme with a stress digit, so a word's syllables are its phonemes that end
in a digit. We keep the first pronunciation of each word, one "word count"
line per word, sorted, and gzip it without a timestamp so the file is
reproducible.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "kratom_handouts" / "quality" / "data" / "en-syllables.txt.gz"


def main() -> None:
    source = Path(sys.argv[1])
    counts: dict[str, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(";;;"):
            continue
        head, *phones = line.split("#")[0].split()
        word = head.split("(")[0]  # "word(2)" is a second pronunciation: keep the first
        if word not in counts and word.replace("'", "").isalpha():
            counts[word] = sum(1 for phone in phones if phone[-1].isdigit())
    text = "".join(f"{word} {count}\n" for word, count in sorted(counts.items()))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as stream:
        stream.write(text.encode("utf-8"))
    TARGET.write_bytes(buffer.getvalue())
    print(f"{len(counts)} words -> {TARGET} ({len(buffer.getvalue()):,} bytes)")


if __name__ == "__main__":
    main()
