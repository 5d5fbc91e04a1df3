"""Submission bundles are hostile input: every way a zip can lie, climb out, explode or be edited after capture
is refused with one line; a sound bundle grades exactly like the capture inside it."""

from __future__ import annotations

import json
import shutil
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from grader.classwork.bundle import BundleLimits, lab_hash, read_bundle, sha256
from grader.classwork.rerender import bundle_from_capture
from grader.classwork.submission import grade_bundle
from grader.classwork.variants import Assignment
from grader.engine.session import grade_capture
from grader.errors import CaptureError
from grader.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
SOLUTION = LAB / "submissions" / "solution"
DEFAULTS = {"lan_a": 1, "lan_b": 3}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return bundle_from_capture(load_lab(LAB), SOLUTION, tmp_path / "s001.zip", student="s001", variables=DEFAULTS)


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(path: Path, files: dict[str, bytes], *, fix_hashes: bool = False) -> Path:
    if fix_hashes:
        manifest = json.loads(files["bundle.json"])
        manifest["entries"] = {n: sha256(d) for n, d in files.items() if n != "bundle.json"}
        files = {**files, "bundle.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def refused(path: Path, fragment: str, **kwargs: object) -> str:
    with pytest.raises(CaptureError) as info:
        grade_bundle(load_lab(LAB), path, DEFAULTS, **kwargs)
    message = str(info.value)
    assert "\n" not in message and fragment in message, message
    return message


def test_a_bundle_grades_like_its_capture(bundle: Path) -> None:
    loaded = load_lab(LAB)
    read = read_bundle(bundle)
    manifest = read.manifest
    assert manifest.lab == loaded.lab.id and manifest.lab_hash == lab_hash(loaded) and manifest.student == "s001"
    assert manifest.variables == DEFAULTS and set(manifest.nodes) == {"r1", "r2", "r3", "pc1", "pc3"}
    assert set(manifest.entries) == set(entries(bundle)) - {"bundle.json"}
    graded = grade_bundle(loaded, bundle, DEFAULTS)
    direct = grade_capture(loaded, SOLUTION, DEFAULTS)
    assert graded.report.score == direct.report.score == 100
    assert graded.report.student == "s001" and graded.report.submission == str(bundle)
    assert [o.outcome for o in graded.report.objectives] == [o.outcome for o in direct.report.objectives]
    assert graded.report.warnings == []


def test_an_entry_edited_after_capture_is_refused(bundle: Path) -> None:
    files = entries(bundle)
    files["capture/r1/show_ip_route.txt"] += b"S>* 10.9.9.0/24 [1/0] via 10.0.12.2, eth1\n"
    refused(rezip(bundle, files), "entry 'capture/r1/show_ip_route.txt' does not match its sha256")


def test_entries_added_or_removed_after_capture_are_refused(bundle: Path) -> None:
    files = entries(bundle)
    refused(rezip(bundle, {**files, "capture/r1/extra.txt": b"x"}), "entry 'capture/r1/extra.txt' is not in")
    del files["capture/r2/show_ip_route.txt"]
    refused(rezip(bundle, files), "'capture/r2/show_ip_route.txt' listed in bundle.json is missing")


OUTSIDE, NOT_PLAIN = "is outside the bundle's capture/ folder", "is not a plain relative name inside the bundle"


@pytest.mark.parametrize(("name", "fragment"), [
    ("/etc/passwd", OUTSIDE), ("../x.txt", OUTSIDE), ("capture\\r1\\x.txt", OUTSIDE), ("other/x.txt", OUTSIDE),
    ("capture/../../x.txt", NOT_PLAIN), ("capture/r1/../../x", NOT_PLAIN), ("capture/.hidden", NOT_PLAIN),
    ("capture/", NOT_PLAIN), ("capture/a/b/c/d/e.txt", NOT_PLAIN),
])
def test_entry_names_outside_the_capture_are_refused(bundle: Path, name: str, fragment: str) -> None:
    message = refused(rezip(bundle, {**entries(bundle), name: b"x"}), fragment)
    assert f"entry {name!r}" in message


def test_links_duplicates_encryption_and_odd_compression_are_refused(bundle: Path, tmp_path: Path) -> None:
    files = entries(bundle)
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            if name == "capture/r1/show_ip_route.txt":
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = b"/etc/passwd"
            archive.writestr(info, data)
    refused(link, "is not a regular file")
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        for name, data in [*files.items(), ("capture/r1/show_ip_route.txt", b"x")]:
            archive.writestr(name, data)
    refused(twice, "appears twice")
    raw = bytearray(bundle.read_bytes())
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, central + 8, struct.unpack_from("<H", raw, central + 8)[0] | 0x1)
    encrypted = tmp_path / "encrypted.zip"
    encrypted.write_bytes(bytes(raw))
    refused(encrypted, "is encrypted")
    bz = tmp_path / "bz.zip"
    with zipfile.ZipFile(bz, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    refused(bz, "unsupported compression method")


def test_zip_bombs_and_oversized_entries_are_refused_before_extraction(bundle: Path, tmp_path: Path) -> None:
    bomb = rezip(tmp_path / "bomb.zip", {**entries(bundle), "capture/r1/show_ip_route.txt": b"\0" * 2_000_000})
    refused(bomb, "refused as a zip bomb")
    refused(bundle, "larger than the limit of 100 bytes", limits=BundleLimits(max_entry_bytes=100))
    refused(bundle, "more than 5 entries", limits=BundleLimits(max_entries=5))
    refused(bundle, "more than 1000 bytes once uncompressed", limits=BundleLimits(max_total_bytes=1000))
    refused(bundle, "larger than the limit of 2000 bytes", limits=BundleLimits(max_bundle_bytes=2000))


@pytest.mark.parametrize(("delta", "fragment"), [(-3, "is damaged"), (+3, "")])
def test_declared_sizes_that_lie_are_caught_while_reading(bundle: Path, tmp_path: Path, delta: int,
                                                          fragment: str) -> None:
    raw = bytearray(bundle.read_bytes())
    central = raw.find(b"PK\x01\x02")  # the first entry: bundle.json
    size = struct.unpack_from("<I", raw, central + 24)[0]
    struct.pack_into("<I", raw, central + 24, size + delta)
    liar = tmp_path / "liar.zip"
    liar.write_bytes(bytes(raw))
    message = refused(liar, fragment)
    assert "damaged" in message or "not the size it declares" in message


@pytest.mark.parametrize(("content", "fragment"), [
    (b"not a zip at all", "not a zip file"),
    (None, "no bundle there"),
])
def test_unreadable_bundles_are_one_line(tmp_path: Path, content: bytes | None, fragment: str) -> None:
    path = tmp_path / "x.zip"
    if content is not None:
        path.write_bytes(content)
    refused(path, fragment)


def test_bundle_manifest_is_strict(bundle: Path) -> None:
    files = entries(bundle)
    manifest = json.loads(files["bundle.json"])
    for edit, fragment in [({"format": "labgrader-bundle/9"}, "format"), ({"shell": "x"}, "shell: unknown key"),
                           ({"student": "../../etc"}, "is not a safe name"), ({"lab_hash": "abc"}, "lab_hash")]:
        changed = {**files, "bundle.json": json.dumps({**manifest, **edit}).encode()}
        refused(rezip(bundle, changed), fragment)
    refused(rezip(bundle, {**files, "bundle.json": b"[1, 2]"}), "not a JSON object")


def test_another_lab_or_another_version_of_the_lab_is_refused(bundle: Path, tmp_path: Path) -> None:
    other = bundle_from_capture(load_lab(ROOT / "labs" / "hcip-ebgp"), ROOT / "labs" / "hcip-ebgp" / "submissions" /
                                "solution", tmp_path / "other.zip", student="s001", variables={})
    refused(other, "a bundle of lab 'hcip-ebgp', not 'hcia-static-routing'")
    copy = tmp_path / "lab"
    shutil.copytree(LAB, copy, ignore=shutil.ignore_patterns("submissions"))
    text = (copy / "lab.yaml").read_text().replace("../../topologies", str(ROOT / "topologies"))
    (copy / "lab.yaml").write_text(text.replace("title: Static routing between two LANs", "title: Static routing"))
    with pytest.raises(CaptureError, match="made for another version of lab 'hcia-static-routing'"):
        grade_bundle(load_lab(copy), bundle, DEFAULTS)
    files = entries(bundle)
    files["capture/manifest.yaml"] = files["capture/manifest.yaml"].replace(b"lab: hcia-static-routing",
                                                                            b"lab: hcip-ebgp")
    refused(rezip(bundle, files, fix_hashes=True), "a bundle of lab 'hcia-static-routing', not")


def test_edited_output_with_recomputed_hashes_is_graded_as_it_says(bundle: Path) -> None:
    """The hashes prove nothing against someone who rewrites them: such a bundle is read (and judged on its
    content, where variants and the consistency checks do the work)."""
    files = entries(bundle)
    files["capture/r1/show_ip_route.txt"] = files["capture/r1/show_ip_route.txt"].replace(b"192.168.3.0/24",
                                                                                          b"192.168.33.0/24")
    graded = grade_bundle(load_lab(LAB), rezip(bundle, files, fix_hashes=True), DEFAULTS)
    assert graded.report.score < 100


def test_the_instructors_variables_apply_and_a_borrowed_variant_is_flagged(tmp_path: Path) -> None:
    loaded = load_lab(LAB)
    assignment = Assignment(loaded.lab.id, {"s001": {"lan_a": 1, "lan_b": 3}, "s002": {"lan_a": 40, "lan_b": 41}})
    made_by_s001 = bundle_from_capture(loaded, SOLUTION, tmp_path / "s001.zip", student="s001", variables=DEFAULTS)
    graded = grade_bundle(loaded, made_by_s001, assignment.of("s002"), student="s002", assignment=assignment)
    assert graded.report.variables == {"lan_a": 40, "lan_b": 41} and graded.report.score < 100
    assert graded.report.student == "s002"
    assert graded.report.warnings == [
        "the capture was taken with other variables: lan_a=1 (graded with 40), lan_b=3 (graded with 41)",
        "the bundle was made by student 's001', graded as 's002'",
        "the capture was taken with the variables of student 's001'",
    ]
