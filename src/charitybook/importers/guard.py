"""An xlsx is a zip of parts: find them, and refuse a workbook that would blow up the reader before
the reader sees it.

Part names are normalised (``xl\\worksheets\\sheet1.xml`` as some Chinese exporters write them,
case, a leading ``/``), and the workbook is found by its declared content type, else by its name
(``xl/workbook.xml``, or ``workbook.xml`` at the zip's root) -- wherever python-calamine finds it.

What can really blow up, and is checked here in well under a millisecond: the zip's size table (a
zip bomb), a DTD (entity tricks: calamine does not expand entities, it fails on them, so we say why
first), and the shared-string table, whose declared ``uniqueCount`` calamine reserves memory for.
A sheet's ``<dimension>`` is not checked: calamine sizes a sheet by where its cells really are and
reserves at most 100,000 cells for the declared dimension. A sheet whose real cells span an absurd
area is left to the reader's child process (``reader_process``), whose allocation failure is
reported as a crash of the reader; finding that here would mean reading every cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from charitybook.errors import CharitybookError
from charitybook.i18n import _

MAX_UNCOMPRESSED = 2 * 1024**3      # 2 GiB of XML in all
MAX_RATIO = 200                     # a zip bomb expands by far more than real sheets do
MAX_STRINGS_MEMORY = 1024**3        # what the shared strings may take in the reader's memory
STRING_OVERHEAD = 48                # bytes calamine holds per string beyond its text (String + heap block)
SMALLEST_STRING = len(b"<si></si>")  # the least XML a shared string that calamine keeps takes
MAX_PACKAGE_PART = 16 * 1024**2   # [Content_Types].xml, a workbook part or its relationships
_SST = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
_UNIQUE_COUNT = re.compile(rb'\buniqueCount\s*=\s*["\'](\d+)["\']')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKBOOK_TYPES = ("sheet.main+xml", "sheet.macroEnabled.main+xml", "template.main+xml", "template.macroEnabled.main+xml")
_WORKBOOK_NAMES = ("xl/workbook.xml", "workbook.xml")


class UnsafeFile(CharitybookError):
    pass


def normal(name: str) -> str:
    """A zip member's name as a part name: forward slashes, no leading slash, lower case."""
    return name.replace("\\", "/").lstrip("/").lower()


def members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    return {normal(info.filename): info for info in archive.infolist()}


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The normalised name of the workbook part, or None when this zip holds no xlsx workbook."""
    parts = members(archive)
    if (types := _parse(archive, parts.get("[content_types].xml"))) is not None:
        for override in types.iter(f"{_CT}Override"):
            part = normal(override.get("PartName", ""))
            if override.get("ContentType", "").endswith(_WORKBOOK_TYPES) and part in parts:
                return part
    return next((name for name in _WORKBOOK_NAMES if name in parts), None)


def sheet_parts(archive: zipfile.ZipFile, workbook: str) -> dict[str, zipfile.ZipInfo]:
    """Each sheet's name -> its zip member, from the workbook part and its relationships."""
    parts = members(archive)
    folder, file = posixpath.split(workbook)
    rels = _parse(archive, parts.get(posixpath.join(folder, "_rels", file + ".rels")))
    book = _parse(archive, parts[workbook])
    if rels is None or book is None:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "").replace("\\", "/") for rel in rels.iter(f"{_REL}Relationship")}
    found = {}
    for sheet in book.iter():
        target = targets.get(next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None))
        if sheet.tag.endswith("}sheet") and target:
            name = target if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if normal(name) in parts:
                found[sheet.get("name")] = parts[normal(name)]
    return found


def shared_strings_part(archive: zipfile.ZipFile, workbook: str) -> zipfile.ZipInfo | None:
    """The zip member of the shared-string table: the workbook's relationship of that type, else
    ``sharedStrings.xml`` beside the workbook part; None when the workbook has none."""
    parts = members(archive)
    folder, file = posixpath.split(workbook)
    rels = _parse(archive, parts.get(posixpath.join(folder, "_rels", file + ".rels")))
    for rel in rels.iter(f"{_REL}Relationship") if rels is not None else ():
        if rel.get("Type", "").endswith("/sharedStrings"):
            target = rel.get("Target", "").replace("\\", "/")
            name = target if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if normal(name) in parts:
                return parts[normal(name)]
    return parts.get(normal(posixpath.join(folder, "sharedStrings.xml")))


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None):
    """A small package part as an element tree (entities refused), or None if it is missing,
    too large or not XML: then the reader says what is wrong with it."""
    if info is None or info.file_size > MAX_PACKAGE_PART:
        return None
    try:
        return ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, DefusedXmlException):
        return None


def check_xlsx(archive: zipfile.ZipFile, file: str) -> None:
    """Refuse the workbook in this open zip (``file`` is its name as shown) if it would expand
    beyond a sane bound or carries entity declarations."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > MAX_UNCOMPRESSED or (total > 50 * 1024**2 and total / packed > MAX_RATIO):
        raise UnsafeFile(_("{file}: expands to {size} MB of XML ({ratio}× its size); refusing it as unsafe").format(
            file=file, size=total // 1024**2, ratio=total // packed))
    for info in infos:
        head = _head(archive, info)
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            continue  # not XML: an image, a printer setting
        if _DTD.search(head):
            raise UnsafeFile(_("{file}: part {part} declares XML entities (a DTD), which no spreadsheet needs; "
                               "refusing it as unsafe").format(file=file, part=info.filename))
        if sst := _SST.search(head):
            _check_strings(sst.group(0), info, file)


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = 4096) -> bytes:
    with archive.open(info) as handle:
        return handle.read(size)


def _check_strings(tag: bytes, info: zipfile.ZipInfo, file: str) -> None:
    """calamine reserves room for ``uniqueCount`` strings before reading one. ``count`` (how many
    cells use a string) reserves nothing and is large in any big sheet of repeated names."""
    match = _UNIQUE_COUNT.search(tag)
    if match is None:
        return
    unique = int(match.group(1))
    if unique > info.file_size // SMALLEST_STRING + 1:
        raise UnsafeFile(_("{file}: declares {count} shared strings in {size} bytes; refusing it as unsafe").format(
            file=file, count=unique, size=info.file_size))
    needed = unique * STRING_OVERHEAD + info.file_size
    if needed > MAX_STRINGS_MEMORY:
        raise UnsafeFile(_("{file}: its {count} shared strings would take about {size} MB of memory; refusing it as too large").format(
            file=file, count=unique, size=needed // 1024**2), hint=_("split the sheet into smaller files, or save it as CSV"))
