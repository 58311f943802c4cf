import os
from pathlib import Path

import pytest

from kratom_handouts.output import write_atomic
from kratom_handouts.render.formats import HTML, PDF


def test_paths():
    assert PDF.handout_path(Path("out"), "a4", "es", "x") == Path("out/a4/es/x.pdf")
    assert HTML.handout_path(Path("out"), "a4", "es", "x") == Path("out/web/es/x.html")
    assert PDF.bundle_path(Path("out"), "a4", "es", "intake") == Path("out/bundles/a4/es/intake.pdf")


def test_write_replaces_whole_file(tmp_path):
    target = tmp_path / "a" / "b.pdf"
    write_atomic(target, b"first", tmp_path)
    write_atomic(target, b"second", tmp_path)
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["b.pdf"]


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "b.pdf"
    write_atomic(target, b"good", tmp_path)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"half", tmp_path)
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"]


def test_abandoned_temporary_files_are_removed_and_fresh_ones_kept(tmp_path):
    import os
    import time

    from kratom_handouts.output import STALE_AFTER_SECONDS, remove_stale_temporaries

    folder = tmp_path / "standard" / "en"
    folder.mkdir(parents=True)
    abandoned = folder / ".kratom-handouts-a.pdf.k3j2h1.tmp"
    in_progress = folder / ".kratom-handouts-b.pdf.x9y8z7.tmp"
    keep = folder / "a.pdf"
    not_ours = folder / ".report.draft.tmp"  # another program's temporary file, as old as ours
    outside = tmp_path.parent / "elsewhere.tmp"
    outside.write_bytes(b"theirs")
    link = folder / ".kratom-handouts-link.pdf.zzz.tmp"  # our name, but a link: not ours to follow or remove
    for path in (abandoned, in_progress, keep, not_ours):
        path.write_bytes(b"x")
    link.symlink_to(outside)
    old = time.time() - STALE_AFTER_SECONDS - 60
    for path in (abandoned, keep, not_ours, outside):
        os.utime(path, (old, old))
    assert remove_stale_temporaries(tmp_path) == [abandoned]
    assert sorted(p.name for p in folder.iterdir()) == [".kratom-handouts-b.pdf.x9y8z7.tmp",
                                                         ".kratom-handouts-link.pdf.zzz.tmp", ".report.draft.tmp",
                                                         "a.pdf"]
    assert outside.read_bytes() == b"theirs"


def test_a_link_in_the_way_never_leads_a_write_out_of_its_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    output = tmp_path / "output"
    output.mkdir()
    (output / "standard").symlink_to(outside)  # planted in the project: output/standard -> elsewhere
    with pytest.raises(PermissionError, match=r"leads out of .* through a link"):
        write_atomic(output / "standard" / "en" / "a.pdf", b"x", output)
    assert list(outside.iterdir()) == []  # not even the language folder was made there
    write_atomic(output / "a4" / "en" / "a.pdf", b"x", output)  # a real folder is fine
    assert (output / "a4" / "en" / "a.pdf").read_bytes() == b"x"


def test_a_signal_as_the_temporary_file_is_made_leaves_no_file_behind(tmp_path, monkeypatch):
    """SIGTERM in the moment after the temporary file exists but before the code that removes it is armed: it is
    held back and raised inside that code (a CI run once found a temporary file left by Ctrl-C)."""
    import signal
    import tempfile as tempfile_module

    from kratom_handouts import output as output_module
    from kratom_handouts.cli import _stop_on_signals
    from kratom_handouts.errors import Interruption, Stopped

    real = tempfile_module.mkstemp

    def made_then_signalled(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # its handler runs at once, before write_atomic's try
        return made

    saved = signal.getsignal(signal.SIGTERM)
    try:
        _stop_on_signals()
        monkeypatch.setattr(output_module.tempfile, "mkstemp", made_then_signalled)
        with pytest.raises(Stopped):
            output_module.write_atomic(tmp_path / "a.pdf", b"%PDF-1.7", tmp_path)
    finally:
        signal.signal(signal.SIGTERM, saved)
        Interruption.signal = None
    assert list(tmp_path.iterdir()) == []
    assert Interruption.held == 0 and Interruption.pending is None
